// A worker that never listens on a port.
setInterval(() => {}, 1000);
