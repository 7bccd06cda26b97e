'use strict';
const a = process.argv;
if (a.length === 3 && (a[2] === '--version' || a[2] === '-V')) { require('node:fs').writeSync(1, '0.1.0\n'); } else {
require('node:module').enableCompileCache?.();
require('../dist/bundle/cli.cjs').main(a.slice(2)); }
