// The ESM spellings of __dirname and __filename.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const apps = [
  {
    name: 'api',
    cwd: here,
    script: path.join(here, '..', 'server.js'),
    args: fileURLToPath(import.meta.url),
  },
  {
    name: 'worker',
    cwd: import.meta.dirname,
    script: 'worker.js',
    node_args: import.meta.filename,
    interpreter_args: import.meta.url,
  },
];
