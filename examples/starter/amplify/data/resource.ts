import { type ClientSchema, a, defineData } from '@aws-amplify/backend';

/*
 * A single Todo model that anyone holding the API key may create, read,
 * update and delete. Swap allow.publicApiKey() for allow.owner() once
 * users sign in.
 */
const schema = a.schema({
  Todo: a
    .model({
      content: a.string(),
    })
    .authorization((allow) => [allow.publicApiKey()]),
});

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  authorizationModes: {
    defaultAuthorizationMode: 'apiKey',
    // API keys expire; 30 days here, at most 365.
    apiKeyAuthorizationMode: {
      expiresInDays: 30,
    },
  },
});
