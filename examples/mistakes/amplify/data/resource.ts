import { type ClientSchema, a, defineData } from '@aws-amplify/backend';

const schema = a.schema({
  Project: a
    .model({
      name: a.string().required(),
      status: a.enum(['planned', 'in progress', 'done']), // expect: data/enum-whitespace
      maxMembers: a.integer().default('unlimited'), // expect: data/default-value-type
      tasks: a.hasMany('Task', 'projectId'), // expect: data/relationship-counterpart
    })
    .authorization((allow) => [allow.owner()]),
  Task: a
    .model({
      title: a.string().required(),
      projectId: a.id(),
    })
    .authorization((allow) => [allow.owner()]),
  Todo: a
    .model({
      content: a.string(),
    })
    .authorization((allow) => [allow.publicApiKey()]), // expect: data/provider-not-configured
});

export type Schema = ClientSchema<typeof schema>;

// With defineAuth in the backend and no authorizationModes, the default mode
// is the user pool and no API key exists.
export const data = defineData({
  schema,
});
