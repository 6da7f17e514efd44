// Logs one line when it starts, as most servers do, then idles.
console.log('started ' + process.pid);
setInterval(() => {}, 1000);
