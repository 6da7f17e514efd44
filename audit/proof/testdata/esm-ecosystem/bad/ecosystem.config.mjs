export default {
  apps: [
    {
      name: 'web',
      script: './app.js',
    },
  ],
};
