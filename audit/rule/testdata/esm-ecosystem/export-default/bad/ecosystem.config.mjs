export default {
  apps: [
    {
      name: 'api',
      script: './app.js',
    },
  ],
};
