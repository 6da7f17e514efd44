module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      exec_mode: 'fork',
      interpreter: './node-wrapper.sh',
    },
  ],
};
