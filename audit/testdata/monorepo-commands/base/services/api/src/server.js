const app = require('express')();
app.get('/healthz', (q, r) => r.send('ok'));
app.listen(process.env.PORT ?? 8080, () => process.send?.('ready'));
process.once('SIGINT', () => process.exit(0));
