#!/usr/bin/env node
// Thin executable: all logic lives in src/. `npm install` builds the published bundle (dist/bundle): its
// entry, cli.cjs (from src/cli.ts), is CommonJS like this file, so that `sf-setup --version` is answered
// before Node starts its ES module loader; every other command then loads the ES module chunks.
'use strict';

// Node 22.1+ caches compiled code between runs (a faster start for every command); Node 20 has no cache.
require('node:module').enableCompileCache?.();

let entry;
try {
  entry = require('../dist/bundle/cli.cjs');
} catch (error) {
  if (error?.code !== 'MODULE_NOT_FOUND') throw error;
  process.stderr.write('sf-setup is not built (dist/bundle/cli.cjs is missing)\n  fix: run `npm install` (or `npm run build`) in the sf-setup folder\n');
  process.exitCode = 2;
}
entry?.main(process.argv.slice(2));
