http.createServer(handler).listen(3000);
