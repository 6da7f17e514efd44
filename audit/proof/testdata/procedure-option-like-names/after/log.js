// log: stays up until PM2 stops it (new code).
setInterval(() => {}, 1000);
