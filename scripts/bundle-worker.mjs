#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles the Vitest recorder's worker side
// (dist/integrations/vitest/worker-entry.js and the modules it imports) into that one file, in
// place. Why: Vitest 4 runs each test file in a fresh worker process, and loading our ten worker
// modules one by one cost ~6 ms of CPU per test file on Node 20, ~1.5 ms as one bundle
// (src/integrations/vitest/worker-entry.ts). The bundle is an ES module like tsc's output, with
// the same exports; `vitest` and Node's built-ins stay imports.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entry = join(root, 'dist/integrations/vitest/worker-entry.js');
await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: `node${pkg.engines.node.replace(/[^0-9.]/g, '')}`,
  external: ['vitest'],
  // Not minified: Vitest 4.1's fixture parser reads the afterAll listener's source text
  // (worker-adapter.ts's `({}, suite) =>`), which must stay as written.
  charset: 'ascii',
  legalComments: 'none',
  logLevel: 'warning',
});
