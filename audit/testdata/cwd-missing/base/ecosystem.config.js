// cwd directories that are not in the repository: one created by the
// deploy (web/ holds only installed packages), one a release link.
module.exports = {
  apps: [
    {
      name: 'web',
      script: './node_modules/nuxt/bin/nuxt.js',
      args: 'start',
      cwd: './web/',
      exec_mode: 'cluster_mode',
      instances: 'max',
    },
    {
      name: 'api',
      script: 'bin/server.js',
      cwd: 'current',
    },
  ],
};
