import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';
import { data } from './data/resource';
import { storage } from './storage/resource';
import { sayHello } from './functions/say-hello/resource';
import { dailyReminder } from './functions/daily-reminder/resource';

/**
 * The same shape as the starter, with deliberate mistakes in every resource
 * file. Each mistake line ends with a trailing "expect" comment naming the
 * diagnostic code the language server should report on that line.
 */
defineBackend({
  auth,
  data,
  storage,
  sayHello,
  dailyReminder,
});
