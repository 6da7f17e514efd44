#!/bin/bash
set -e
git pull
npm ci
pm2 reload ecosystem.config.js
