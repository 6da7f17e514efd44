const PORT = 4000;

export const apps = [
  {
    name: 'named',
    script: 'app.js',
    env: { PORT },
  },
];
