// A monorepo builds its apps from data (shapes seen in real ecosystem
// files): list.map, a helper function, Object.keys, String()/Number().
const path = require('path');

const defaults = { autorestart: true, kill_timeout: 5000 };

const services = [
  { name: 'gateway', port: 3000 },
  { name: 'auth', port: 3001, env: { TOKEN_SECRET: 'hunter2' } },
];

const ports = {
  billing: Number(process.env.BILLING_PORT || 4006),
  media: 4008,
};

function logs(name) {
  const dir = path.join(__dirname, 'logs');
  return { out_file: `${dir}/${name}.out.log` };
}

const buildEnv = ({ port, env = {} }) => ({
  ...env,
  PORT: String(port),
});

module.exports = {
  apps: [
    ...services.map((svc, i) => ({
      ...defaults,
      name: svc.name,
      script: `dist/apps/${svc.name}/main.js`,
      cwd: path.join(__dirname, 'services', svc.name),
      env: buildEnv(svc),
      instance_var: `SLOT_${i}`,
      ...logs(svc.name),
    })),
    ...Object.keys(ports).map(function (name) {
      return {
        name,
        script: 'server.js',
        cwd: `./services/${name}`,
        env: { PORT: ports[name] },
      };
    }),
  ],
};
