module.exports = {
  apps: [
    {
      name: 'api',
      script: 'src/main.ts',
      interpreter: 'bun',
      max_memory_restart: '512M',
      node_args: '--max-old-space-size=384 --smol',
    },
  ],
};
