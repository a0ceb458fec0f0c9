import { defineStorage } from '@aws-amplify/backend';

export const storage = defineStorage({
  name: 'starterFiles',
  access: (allow) => ({
    // Anyone may look at public pictures; signed-in users may upload them.
    'public/*': [
      allow.guest.to(['read']),
      allow.authenticated.to(['read', 'write', 'delete']),
    ],
    // Each signed-in user owns the folder named after their identity id.
    'private/{entity_id}/*': [
      allow.entity('identity').to(['read', 'write', 'delete']),
    ],
    'profile-pictures/{entity_id}/*': [
      allow.guest.to(['read']),
      allow.entity('identity').to(['read', 'write', 'delete']),
    ],
  }),
});
