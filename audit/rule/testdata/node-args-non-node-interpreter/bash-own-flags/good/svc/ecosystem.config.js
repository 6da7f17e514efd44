module.exports = {
  apps: [
    {
      name: 'x',
      script: 'run.sh',
      node_args: ['-e', '-x'],
    },
  ],
};
