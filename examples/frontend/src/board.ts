import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../amplify/data/resource';

// Signed-in users (the API's default mode is the user pool).
const client = generateClient<Schema>();
// Visitors who are not signed in read the board with the API key.
const visitors = generateClient<Schema>({ authMode: 'apiKey' });

export async function board() {
  const { data: posts } = await visitors.models.Post.list();
  return posts;
}

export async function publish(title: string) {
  // the API key may only read posts
  return visitors.models.Post.create({ title });
}

export async function myNotes() {
  // notes are for their owners only: an identity-pool caller is always refused
  const { data } = await client.models.Note.list({ authMode: 'identityPool' });
  return data;
}

export async function drafts() {
  return client.models.Draft.list();
}
