// Records the NODE_ENV it was started with in $MARKER, then idles.
require('fs').appendFileSync(process.env.MARKER, 'env ' + process.env.NODE_ENV + '\n');
setInterval(() => {}, 1000);
