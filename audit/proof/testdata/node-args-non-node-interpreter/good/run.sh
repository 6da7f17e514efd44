#!/usr/bin/env bash
# A long-running shell job.
echo "job started"
while :; do sleep 1; done
