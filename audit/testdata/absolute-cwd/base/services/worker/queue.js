module.exports = { start() {}, async drain() {} };
