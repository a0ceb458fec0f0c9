export const handler = async (event: { name?: string }) => {
  return `${process.env['GREETING-TEXT'] ?? 'Hello'}, ${event.name ?? 'world'}!`;
};
