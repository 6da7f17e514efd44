module.exports = {
  apps: [
    {
      name: 'x',
      script: 'bot.py',
      interpreter_args: '-u --max_old_space_size=512',
    },
  ],
};
