#!/bin/sh
chmod +x y
