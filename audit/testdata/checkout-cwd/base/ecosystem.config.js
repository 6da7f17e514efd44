// The repository is cloned to the host directory the cwd names (a common
// deploy); no path of the repository ends like it.
module.exports = {
  apps: [
    {
      name: 'shop',
      script: 'server.js',
      cwd: '/var/www/shop',
      exec_mode: 'fork',
      kill_timeout: 3000,
    },
    {
      name: 'shop-web',
      script: 'npm',
      args: 'start',
      cwd: '/home/deploy/shop',
    },
    {
      name: 'jobs',
      script: 'worker.js',
      cwd: 'C:\\apps\\shop\\jobs',
    },
    {
      name: 'bin',
      script: './target/release/shop-bin',
      cwd: '/opt/shop',
      interpreter: 'none',
    },
  ],
};
