// Never sends 'ready'.
setInterval(() => {}, 1000);
