http.createServer(handler).listen(3000, () => {
  process.send('ready');
});
