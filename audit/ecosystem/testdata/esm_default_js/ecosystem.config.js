import { join } from 'path';

export default {
  apps: [

    {
      name: "api",
      script: join(__dirname, "bin", "www"),
      instances: 2,
    },
  ],
}
