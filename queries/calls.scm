; Amplify factory calls: defineAuth({...}), defineData({...}), defineStorage({...}), defineFunction({...}),
; defineBackend({...}), referenceAuth({...}).
(call_expression
  function: (identifier) @callee
  arguments: (arguments) @args
  (#match? @callee "^(defineAuth|defineData|defineStorage|defineFunction|defineBackend|referenceAuth)$")) @call
