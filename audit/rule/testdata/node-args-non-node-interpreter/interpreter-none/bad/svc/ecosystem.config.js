module.exports = {
  apps: [
    {
      name: 'x',
      script: './bin/server',
      interpreter: 'none',
      interpreter_args: '-u',
    },
  ],
};
