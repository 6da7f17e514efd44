module.exports = {
  apps: [
    {
      name: 'api',
      // exec is script's alias, but only script, cmd and command are run
      // through bash -c when they hold a space.
      exec: 'node server.js',
    },
  ],
};
