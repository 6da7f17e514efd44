'use strict';

// In-memory registry of WhatsApp clients, one per customer.
const clients = new Map();

const sessions = {
  state() {
    return clients.size === 0 ? 'NOT_INITIALIZED' : 'READY';
  },
  status(clienteId) {
    const c = clients.get(String(clienteId));
    return { cliente_id: clienteId, status: c ? c.status : 'NOT_INITIALIZED' };
  },
  async qr(clienteId) {
    const c = clients.get(String(clienteId));
    return c ? c.qr : Buffer.alloc(0);
  },
  async logoutAll() {
    for (const c of clients.values()) {
      await c.logout();
    }
    clients.clear();
  },
};

module.exports = { sessions };
