module.exports = {
  apps: [
    {
      name: 'x',
      script: 'bot.py',
      interpreter: './venv/bin/python3',
      interpreter_args: '-u',
    },
  ],
};
