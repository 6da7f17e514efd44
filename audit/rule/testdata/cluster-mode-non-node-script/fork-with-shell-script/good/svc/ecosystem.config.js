module.exports = {
  apps: [
    {
      name: 'x',
      script: 'run.sh',
      exec_mode: 'fork',
    },
  ],
};
