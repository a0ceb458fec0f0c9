import { defineFunction } from '@aws-amplify/backend';

export const dailyReminder = defineFunction({
  name: 'daily-reminder',
  schedule: '0 9 * * *', // expect: function/schedule
  layers: {
    dayjs: 'dayjs-layer', // expect: function/layer-format
  },
});
