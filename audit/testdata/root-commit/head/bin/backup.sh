#!/usr/bin/env bash
set -euo pipefail
tar czf /var/backups/app.tgz /srv/app
