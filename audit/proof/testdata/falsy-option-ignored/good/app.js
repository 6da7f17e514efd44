// Crashes at once.
process.exit(1);
