// Idles; writes nothing.
setInterval(() => {}, 1000);
