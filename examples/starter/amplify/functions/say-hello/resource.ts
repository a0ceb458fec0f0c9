import { defineFunction } from '@aws-amplify/backend';

export const sayHello = defineFunction({
  // Optional: the name defaults to the folder name.
  name: 'say-hello',
  environment: {
    GREETING: 'Hello',
  },
  timeoutSeconds: 10,
});
