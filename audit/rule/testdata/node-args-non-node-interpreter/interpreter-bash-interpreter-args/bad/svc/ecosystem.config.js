module.exports = {
  apps: [
    {
      name: 'x',
      script: 'app.js',
      interpreter: 'bash',
      interpreter_args: ['--max-old-space-size=256'],
    },
  ],
};
