import { Queue } from 'bullmq';
const q = new Queue('jobs');
process.on('SIGTERM', async () => { await q.close(); process.exit(0); });
