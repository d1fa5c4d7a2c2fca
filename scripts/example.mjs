#!/usr/bin/env node
// `npm run example`: the main job on the bundled example. Copies fixtures/example into a temp
// dir, builds its git history, records a coverage map with the real Vitest plugin, then shows
// `testsift detect` on three changes: a source change, a run-all label, a CI-config change.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(repoRoot, 'dist/bin/testsift.cjs');
const work = mkdtempSync(join(tmpdir(), 'testsift-example-'));
const keep = process.argv.includes('--keep');

const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
const git = (...args) => sh('git', args);
const edit = (file, from, to) => {
  const p = join(work, file);
  const text = readFileSync(p, 'utf8');
  if (!text.includes(from)) throw new Error(`example: '${from}' not found in ${file}`);
  writeFileSync(p, text.replace(from, to));
};
function detect(title, args) {
  console.log(`\n$ testsift detect ${args.join(' ')}    # ${title}`);
  const out = execFileSync(process.execPath, [cli, 'detect', ...args], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(out.replace(/^/gm, '  '));
}

try {
  cpSync(join(repoRoot, 'fixtures/example'), work, { recursive: true });
  // The example resolves `vitest` and `testsift` to this checkout.
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(join(repoRoot, 'node_modules/vitest'), join(work, 'node_modules/vitest'), 'dir');
  symlinkSync(repoRoot, join(work, 'node_modules/testsift'), 'dir');

  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'example@testsift.invalid');
  git('config', 'user.name', 'testsift example');
  git('add', '-A');
  git('commit', '-q', '-m', 'example shop');

  console.log(`example project: ${work}`);
  console.log('recording a coverage map on main: TESTSIFT_RECORD=1 vitest run');
  sh(process.execPath, [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run'], { env: { ...process.env, TESTSIFT_RECORD: '1' } });
  console.log(execFileSync(process.execPath, [cli, 'map', 'stats', '.testsift/map.json'], { cwd: work, encoding: 'utf8' }).replace(/^/gm, '  '));

  git('checkout', '-q', '-b', 'feature');
  edit('src/discount.ts', 'const free = Math.floor(quantity / every);', 'const free = every > 0 ? Math.floor(quantity / every) : 0;');
  git('commit', '-q', '-am', 'discount: guard every=0');
  detect('1. a source change selects the tests that need it', ['--base', 'main', '--format', 'explain']);

  detect('2. a run-all label forces the full suite', ['--base', 'main', '--label', 'pipeline:run-all-tests', '--format', 'explain']);

  git('checkout', '-q', '-b', 'ci-change', 'main');
  edit('.gitlab/ci/test.gitlab-ci.yml', 'npx detect-tests', 'npx detect-tests --previous-failures junit.xml');
  git('commit', '-q', '-am', 'ci: rerun previous failures');
  detect('3. a CI-config change forces the full suite', ['--base', 'main', '--format', 'explain']);
} catch (err) {
  console.error(`example failed: ${err.stderr ?? ''}${err.stdout ?? ''}${err.message}`);
  process.exitCode = 1;
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
