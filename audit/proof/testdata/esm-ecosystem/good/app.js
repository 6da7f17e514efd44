import { setInterval } from 'node:timers';

setInterval(() => {}, 1000);
