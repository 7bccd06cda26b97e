#!/usr/bin/env node
// Thin executable: all logic lives in src/ (compiled to dist/ by `npm install` / `npm run build`).
import { main } from '../dist/src/cli.js';

main(process.argv.slice(2));
