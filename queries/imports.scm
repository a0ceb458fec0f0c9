; Static imports with their module specifier and the names they bind.
(import_statement
  source: (string (string_fragment) @source)) @import
