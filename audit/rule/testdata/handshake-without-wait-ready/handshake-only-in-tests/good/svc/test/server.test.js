// Starts the server as PM2 would and answers the handshake.
process.send('ready');
