const base = JSON.parse(process.env.PM2_BASE || '{}');
module.exports = {
  apps: [
    {
      name: 'api',
      ...base,
    },
  ],
};
