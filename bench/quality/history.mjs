#!/usr/bin/env node
// Selection share for the changes of real commits of a project's history, with the map recorded
// at the pinned commit: each commit's diff is reverted on top of the pinned commit (`git revert
// --no-commit`; a commit that does not revert cleanly is reported and skipped), so the map is
// exactly at the diff base and the change has the commit's real paths and hunks.
//
//   node bench/quality/history.mjs <project> --checkout DIR --map MAP [--granularity file|block]
//
// DIR: a clone of the project (no dependencies needed); HEAD is moved, commits are added.
import { join } from 'node:path';
import { copyFileSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { git, project, testsiftRoot } from './lib.mjs';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { checkout: { type: 'string' }, map: { type: 'string' }, granularity: { type: 'string' } },
});
const p = project(positionals[0] ?? '');
const dir = values.checkout;
if (!dir || !values.map) throw new Error('usage: history.mjs <project> --checkout DIR --map MAP');
const { detectTests } = await import(join(testsiftRoot, 'dist/index.js'));
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
};
mkdirSync(join(dir, '.testsift'), { recursive: true });
copyFileSync(values.map, join(dir, '.testsift/map.json'));
const granularities = values.granularity ? [values.granularity] : ['file', 'block'];
console.log(`${p.name} @ ${p.commit.slice(0, 12)}: diffs of real commits, reverted on the pinned commit`);
for (const c of p.historyCommits ?? []) {
  git(dir, ['checkout', '-q', '--detach', p.commit], { env });
  try {
    git(dir, ['revert', '--no-commit', c], { env });
  } catch {
    git(dir, ['revert', '--abort'], { env });
    console.log(`${c.slice(0, 10)}: does not revert cleanly on the pinned commit, skipped`);
    continue;
  }
  git(dir, ['commit', '-q', '-m', `revert ${c}`], { env });
  const head = git(dir, ['rev-parse', 'HEAD']).trim();
  git(dir, ['checkout', '-q', '--detach', p.commit], { env });
  const subject = git(dir, ['log', '-1', '--format=%s', c]).trim();
  for (const g of granularities) {
    const r = await detectTests({ cwd: dir, base: p.commit, head, granularity: g, env: {} });
    const total = r.allTests.length;
    console.log(
      `${c.slice(0, 10)} ${g.padEnd(5)} ${r.changedFiles.length} changed files → ${r.mode} ${r.tests.length}/${total} test files (${((r.tests.length / total) * 100).toFixed(1)}%)  ${subject.slice(0, 60)}` +
        (r.mode === 'full' ? `\n    full suite: ${r.reasons.join('; ')}` : ''),
    );
  }
}
