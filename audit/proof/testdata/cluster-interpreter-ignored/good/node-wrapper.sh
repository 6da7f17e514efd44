#!/bin/sh
# Runs the app with the team's node setup. Appends "wrapper" to $MARKER.
echo wrapper >> "$MARKER"
exec node "$@"
