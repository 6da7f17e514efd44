// Needs a Node that can require() ES modules.
export const apps = [{ name: 'api', script: './index.js' }];
