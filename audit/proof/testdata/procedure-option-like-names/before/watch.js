// watch: stays up until PM2 stops it.
setInterval(() => {}, 1000);
