interface AppConfig {
  name: string;
  script: string;
  instances?: number | 'max';
}

type Env = Record<string, string>;

const env: Env = {
  NODE_ENV: 'production',
};

const mode = 'cluster' as const;

const apps: AppConfig[] = [
  {
    name: 'ts-api',
    script: 'dist/main.js',
    instances: 'max',
    exec_mode: mode,
    env,
  } satisfies AppConfig & Record<string, unknown>,
];

module.exports = { apps };
