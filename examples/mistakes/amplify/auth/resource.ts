import { defineAuth, secret } from '@aws-amplify/backend';

export const auth = defineAuth({
  loginWith: {
    email: true,
    externalProviders: {
      google: {
        clientId: secret('GOOGLE_CLIENT_ID'),
        clientSecret: 'GOCSPX-4xQ9-not-a-real-secret-Zr8', // expect: security/hardcoded-secret
      },
      callbackUrls: ['http://localhost:3000/'],
      logoutUrls: ['http://localhost:3000/'],
    },
  },
  multiFactor: { mode: 'OPTIONAL', totp: true }, // expect: shape/unknown-property
  groups: ['ADMINS', 'MEMBERS'],
});
