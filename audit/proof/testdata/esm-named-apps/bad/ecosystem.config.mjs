export const apps = [
  {
    name: 'web',
    script: './app.js',
  },
];
