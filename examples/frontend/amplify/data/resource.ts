import { type ClientSchema, a, defineData } from '@aws-amplify/backend';

const schema = a.schema({
  // Everyone may read the board; only its author may change a post.
  Post: a
    .model({
      title: a.string().required(),
      body: a.string(),
    })
    .authorization((allow) => [allow.owner(), allow.publicApiKey().to(['read'])]),
  // Private notes: each user sees only their own.
  Note: a
    .model({
      content: a.string(),
    })
    .authorization((allow) => [allow.owner()]),
});

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  authorizationModes: {
    defaultAuthorizationMode: 'userPool',
    apiKeyAuthorizationMode: { expiresInDays: 30 },
  },
});
