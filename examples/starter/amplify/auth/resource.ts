import { defineAuth } from '@aws-amplify/backend';

/**
 * Sign-in with email and a password; Cognito sends a verification code.
 */
export const auth = defineAuth({
  loginWith: {
    email: true,
  },
});
