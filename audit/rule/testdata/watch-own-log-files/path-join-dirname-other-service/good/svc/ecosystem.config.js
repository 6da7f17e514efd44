const path = require('path');
module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: true,
      out_file: path.join(__dirname, '../other/logs/out.log'),
    },
  ],
};
