; Amplify factory calls: defineAuth({...}), defineData({...}), defineStorage({...}), defineFunction({...}),
; defineConversationHandlerFunction({...}) (@aws-amplify/backend-ai), defineBackend({...}), referenceAuth({...}).
(call_expression
  function: (identifier) @callee
  arguments: (arguments) @args
  (#match? @callee "^(defineAuth|defineData|defineStorage|defineFunction|defineConversationHandlerFunction|defineBackend|referenceAuth)$")) @call
