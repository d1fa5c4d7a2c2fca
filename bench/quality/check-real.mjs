#!/usr/bin/env node
// Checks the scorer's shortcut: detect on the placeholder repository (score.mjs) must select
// exactly what it selects on real mutant commits in a real clone of the project.
//
//   node bench/quality/check-real.mjs <project> --checkout DIR
//
// DIR: a clone of the project (dependencies not needed); its HEAD is moved, commits are added.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { dataDir, git, testsiftRoot } from './lib.mjs';
import { applyMutant } from './mutate.mjs';
import { detectOptionsFor, scoreProject } from './score.mjs';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { checkout: { type: 'string' } } });
const name = positionals[0];
const dir = values.checkout;
if (!name || !dir) throw new Error('usage: check-real.mjs <project> --checkout DIR');
const granularities = (process.env.QUALITY_GRANULARITIES ?? 'file,function,block').split(',');
const { detectTests } = await import(join(testsiftRoot, 'dist/index.js'));
const data = JSON.parse(readFileSync(join(dataDir, `${name}.json`), 'utf8'));
mkdirSync(join(dir, '.testsift'), { recursive: true });
const stored = join(dataDir, data.map);
writeFileSync(join(dir, '.testsift/map.json'), data.map.endsWith('.gz') ? gunzipSync(readFileSync(stored)) : readFileSync(stored));
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
};
const synthetic = await scoreProject(name, granularities);
const options = {};
for (const g of granularities) options[g] = await detectOptionsFor({ dir }, g);
let same = 0;
let differ = 0;
for (const m of data.mutants.filter((x) => x.verdict === 'killed' || x.verdict === 'survived')) {
  git(dir, ['checkout', '-q', data.commit], { env });
  const f = join(dir, m.file);
  writeFileSync(f, applyMutant(readFileSync(f, 'utf8'), m));
  git(dir, ['commit', '-q', '-am', m.id], { env });
  const head = git(dir, ['rev-parse', 'HEAD']).trim();
  git(dir, ['checkout', '-q', data.commit], { env });
  for (const g of granularities) {
    const real = (await detectTests({ cwd: dir, base: data.commit, head, ...options[g], env: {} })).tests;
    if (JSON.stringify(real) === JSON.stringify(synthetic.selections[g][m.id])) same++;
    else {
      differ++;
      console.log(`${m.id} ${g}: real ${JSON.stringify(real)} vs placeholder ${JSON.stringify(synthetic.selections[g][m.id])}`);
    }
  }
}
console.log(`${name}: ${same} selections equal, ${differ} differ`);
process.exitCode = differ ? 1 : 0;
