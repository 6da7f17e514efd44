// `node` is not a file of this directory: PM2 looks the name up in PATH
// (lib/Common.js prepareAppConf, "Try resolve command available in $PATH")
// and runs that program with the args.
module.exports = {
  apps: [{ name: 'api', script: 'node', args: 'server.js' }],
};
