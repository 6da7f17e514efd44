#!/bin/bash
export NODE_OPTIONS=--max-old-space-size=512
exec node app.js
