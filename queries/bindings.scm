; Top-level `const x = ...` / `export const x = ...` declarations (the values resources are bound to).
(program
  (lexical_declaration
    (variable_declarator name: (identifier) @name value: (_) @value)) @decl)
(program
  (export_statement
    declaration: (lexical_declaration
      (variable_declarator name: (identifier) @name value: (_) @value)) @decl) @export)
