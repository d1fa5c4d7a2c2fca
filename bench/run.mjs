#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.mjs in its own Node process, one after another (the
// machine has 2 cores; parallel benches would measure each other). Each bench prints its own
// table of ratios against a baseline measured in the same run. `npm run bench -- sharding` runs
// only the bench named "sharding", or, when none has that exact name, those whose name contains it
// (`-- recording` is recording.bench.mjs alone, not jest-recording too).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv.slice(2);
const all = readdirSync(here).filter((f) => f.endsWith('.bench.mjs'));
const nameOf = (f) => f.slice(0, -'.bench.mjs'.length);
const chosen = (f, w) => (all.some((g) => nameOf(g) === w) ? nameOf(f) === w : f.includes(w));
const benches = all.filter((f) => filter.length === 0 || filter.some((w) => chosen(f, w))).sort();
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
