import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';
import { data } from './data/resource';
import { storage } from './storage/resource';
import { sayHello } from './functions/say-hello/resource';

/**
 * The backend: every resource passed here is deployed by `npx ampx sandbox`.
 */
defineBackend({
  auth,
  data,
  storage,
  sayHello,
});
