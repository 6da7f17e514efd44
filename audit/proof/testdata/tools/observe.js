// observe.js watches a running PM2 daemon for the Go proof suite.
//
// Usage: PM2_HOME=<home> node observe.js <path to node_modules/pm2>
//
// It connects to the daemon already started by the suite (it never starts
// one: the suite runs `pm2 ping` first), subscribes to the daemon's event
// bus and polls the process list every 50 ms. Every observation is written
// to stdout as one JSON object per line:
//   {"kind":"ready"}                                  subscribed; start the command now
//   {"kind":"event","event":"online","at":ms,...}     bus process:event; at = daemon clock
//   {"kind":"msg","at":ms,"raw":...,"data":...}       bus process:msg: an IPC message from an app
//   {"kind":"status","t":ms,...}                      a status/pid change seen by polling
// Times are Date.now() values (ms since the epoch) of the daemon (events)
// or of this process (status); both run on the same machine clock.
'use strict';

// Even require('pm2') creates $PM2_HOME (default ~/.pm2): never run
// without a private one.
if (!process.env.PM2_HOME) {
  process.stderr.write('observe.js: PM2_HOME must be set\n');
  process.exit(2);
}

const pm2 = require(process.argv[2]);

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function proc(p) {
  const env = p.pm2_env || {};
  return {
    name: p.name || env.name,
    pm_id: p.pm_id !== undefined ? p.pm_id : env.pm_id,
    pid: p.pid !== undefined ? p.pid : (p.process && p.process.pid) || 0,
    status: env.status !== undefined ? env.status : p.status,
    pm_uptime: env.pm_uptime !== undefined ? env.pm_uptime : p.pm_uptime,
    restart_time: env.restart_time !== undefined ? env.restart_time : p.restart_time,
  };
}

pm2.connect(function (err) {
  if (err) {
    out({ kind: 'error', error: String(err) });
    process.exit(2);
  }
  pm2.launchBus(function (err, bus) {
    if (err) {
      out({ kind: 'error', error: String(err) });
      process.exit(2);
    }
    bus.on('process:event', function (packet) {
      const p = proc(packet.process || {});
      out(Object.assign({ kind: 'event', event: packet.event, at: packet.at }, p));
    });
    bus.on('process:msg', function (packet) {
      const p = packet.process || {};
      out({ kind: 'msg', at: packet.at, name: p.name, pm_id: p.pm_id, raw: packet.raw, data: packet.data });
    });
    const last = new Map();
    const poll = function () {
      pm2.list(function (err, list) {
        if (!err) {
          for (const item of list) {
            const p = proc(item);
            const key = p.pm_id;
            const sig = p.status + '/' + p.pid + '/' + p.restart_time;
            if (last.get(key) !== sig) {
              last.set(key, sig);
              out(Object.assign({ kind: 'status', t: Date.now() }, p));
            }
          }
        }
        setTimeout(poll, 50);
      });
    };
    // The bus subscription is asynchronous; give it a moment before
    // telling the suite to go on.
    setTimeout(function () {
      out({ kind: 'ready' });
      poll();
    }, 100);
  });
});
