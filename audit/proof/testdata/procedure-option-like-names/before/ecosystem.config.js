// Apps whose names PM2's command line would read as options or as its own
// words: the report's commands must still address each one exactly.
module.exports = {
  apps: [
    { name: '-rf', script: 'rf.js', env: { STAGE: 'before' } },
    { name: '--watch', script: 'watch.js' },
    { name: 'log', script: 'log.js', exec_mode: 'cluster', instances: 1 },
    { name: '-gone', script: 'gone.js' },
    { name: 'api', script: 'api.js' },
  ],
};
