module.exports = (msg) => process.send(msg);
