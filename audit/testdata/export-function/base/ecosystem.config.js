require('dotenv').config();
const apps = ['a', 'b'].map((n) => ({ name: n, script: `${n}.js` }));
module.exports = { apps };
