// What stays dynamic: a list read at run time, a callback with statements
// the resolver does not evaluate, a function that calls itself.
const fs = require('fs');

const dirs = fs.readdirSync(__dirname + '/apps');

function deep(n) {
  return deep(n);
}

const names = ['a', 'b'];

module.exports = {
  apps: [
    ...dirs.map((d) => ({ name: d, script: 'index.js' })),
    ...names.map((n) => {
      if (n === 'a') {
        return { name: n };
      }
      return { name: n, script: 'b.js' };
    }),
    { name: 'c', script: 'c.js', instances: deep(1) },
    ...names.map(async (n) => ({ name: n })),
  ],
};
