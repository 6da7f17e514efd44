export const apps = [
  {
    name: 'api',
    script: './app.js',
  },
];
