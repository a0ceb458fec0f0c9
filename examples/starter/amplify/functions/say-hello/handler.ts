import { env } from '$amplify/env/say-hello';

type HelloEvent = { name?: string };

export const handler = async (event: HelloEvent) => {
  return `${env.GREETING}, ${event.name ?? 'world'}!`;
};
