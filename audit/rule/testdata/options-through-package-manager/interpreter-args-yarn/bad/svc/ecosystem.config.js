module.exports = {
  apps: [
    {
      name: 'api',
      script: 'yarn',
      interpreter_args: '--inspect',
    },
  ],
};
