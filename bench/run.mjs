#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.mjs in its own Node process, one after another (the
// machine has 2 cores; parallel benches would measure each other). Each bench prints its own
// table of ratios against a baseline measured in the same run. `npm run bench -- sharding` runs
// only the benches whose file name contains "sharding".
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filter.length === 0 || filter.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const b of benches) {
  console.log(`\n=== ${b} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, b)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`!!! ${b} exited with ${r.status}`);
  }
}
process.exitCode = failed ? 1 : 0;
