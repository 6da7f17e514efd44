const msg = process.env.MSG;
process.send(msg);
