#!/bin/bash
# A queue worker written in shell. Appends "started" to $MARKER.
echo started >> "$MARKER"
while true; do
  sleep 1
done
