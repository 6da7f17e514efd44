const cluster = require('cluster');
cluster.worker.send('ready');
