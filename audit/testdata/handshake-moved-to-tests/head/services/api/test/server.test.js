// The test harness plays PM2: it waits for the child's 'ready'.
const { fork } = require('child_process');

test('starts', (done) => {
  const child = fork(require.resolve('./fixtures/ready-child.js'));
  child.on('message', (m) => { if (m === 'ready') { child.kill('SIGINT'); done(); } });
});
