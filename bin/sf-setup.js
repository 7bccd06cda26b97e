#!/usr/bin/env node
// Thin executable: all logic lives in src/. `npm install` builds both the TypeScript output (dist/src) and
// the published single bundle (dist/bundle, with no runtime dependencies); the bundle is preferred.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ caches compiled code between runs (a faster start for every command); Node 20 has no cache.
module.enableCompileCache?.();

const bundle = new URL('../dist/bundle/cli.js', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/src/cli.js');
await main(process.argv.slice(2));
