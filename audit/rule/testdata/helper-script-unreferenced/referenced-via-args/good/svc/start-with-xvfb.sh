chmod +x start-with-xvfb.sh
