import { defineStorage } from '@aws-amplify/backend';

export const storage = defineStorage({
  name: 'mistakeFiles',
  access: (allow) => ({
    'photos': [allow.authenticated.to(['read', 'write'])], // expect: storage/path-wildcard
    'media/*': [allow.authenticated.to(['read'])],
    'media/{entity_id}/*': [allow.entity('identity').to(['read', 'write', 'delete'])], // expect: storage/entity-id
    'admin/*': [allow.groups(['ADMIN']).to(['read', 'write', 'delete'])], // expect: storage/unknown-group
  }),
});
