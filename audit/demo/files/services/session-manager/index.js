'use strict';

const express = require('express');
const { sessions } = require('./src/sessions');

const PORT = process.env.PORT || 3001;
const app = express();

app.get('/health', (req, res) => {
  res.json({ status: 'ok', service: 'session-manager', whatsapp_state: sessions.state() });
});

app.get('/status', (req, res) => {
  const clienteId = req.header('X-Cliente-Id');
  res.json(sessions.status(clienteId));
});

app.get('/qr', async (req, res) => {
  const png = await sessions.qr(req.header('X-Cliente-Id'));
  res.type('png').send(png);
});

const server = app.listen(PORT, () => {
  console.log(`[Server] Listening on port ${PORT}`);
  console.log(`[Server] Health: http://localhost:${PORT}/health`);
  console.log(`[Server] Status: http://localhost:${PORT}/status`);
  console.log('='.repeat(50));
});

// Graceful shutdown: log every WhatsApp client out, then close the HTTP server.
async function gracefulShutdown(signal) {
  console.log(`[Server] ${signal} received, logging out clients...`);
  await sessions.logoutAll();
  server.close(() => process.exit(0));
}

process.on('SIGINT', () => gracefulShutdown('SIGINT'));
process.on('SIGTERM', () => gracefulShutdown('SIGTERM'));
