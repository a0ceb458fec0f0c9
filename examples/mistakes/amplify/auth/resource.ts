import { defineAuth, secret } from '@aws-amplify/backend';

export const auth = defineAuth({ // expect: shape/missing-required
  loginwith: { // expect: shape/unknown-property
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
  groups: ['ADMINS', 'MEMBERS'],
});
