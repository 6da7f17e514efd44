module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: process.env.WATCH === '1',
      out_file: './logs/out.log',
    },
  ],
};
