// Calling a module's function changes no value of this file: no note
// about a "modified" variable (esbuild names it import_dotenv).
import dotenv from 'dotenv';
dotenv.config();

const base = { autorestart: true };
base.watch = false;

export default {
  apps: [{ name: 'api', script: './index.js', ...base }],
};
