export const handler = async () => {
  console.log('sending reminders at', new Date().toISOString());
};
