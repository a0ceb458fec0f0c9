import { defineFunction } from '@aws-amplify/backend';

export const sayHello = defineFunction({
  name: 'say-hello',
  environment: {
    'GREETING-TEXT': 'Hello', // expect: function/env-key
  },
  timeoutSeconds: 901, // expect: shape/out-of-range
});
