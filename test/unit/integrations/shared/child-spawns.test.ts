import { expect, test } from 'vitest';
import { nodeishShell, nodeishWord } from '../../../../src/integrations/shared/child-spawns.js';

const ROOT = '/repo';

test('commands that run Node: node, process.execPath, package runners, scripts inside the repository', () => {
  for (const w of [
    'node',
    '/usr/local/bin/node',
    'node.exe',
    'tsx',
    'ts-node',
    'npx',
    'pnpm',
    'yarn',
    'npm',
    'bun',
    process.execPath,
    './bin/cli.js',
    'bin/cli',
    '/repo/scripts/x.mjs',
    '"node"',
  ]) {
    expect(nodeishWord(w, ROOT, ROOT), w).toBe(true);
  }
});

test('commands that do not: git, other tools, shell scripts in the repository, paths outside it', () => {
  for (const w of ['git', 'ls', 'python3', './scripts/x.sh', '/usr/bin/env', '/elsewhere/cli.js', 'nodemon-like']) {
    expect(nodeishWord(w, ROOT, ROOT), w).toBe(false);
  }
});

test('shell command lines: any simple command that runs Node, after env assignments and prefixes', () => {
  expect(nodeishShell('pnpm exec tsx examples/x.ts', ROOT, ROOT)).toBe(true);
  expect(nodeishShell('FOO=1 node bin/cli.js', ROOT, ROOT)).toBe(true);
  expect(nodeishShell('cd sub && env A=b npx thing', ROOT, ROOT)).toBe(true);
  expect(nodeishShell('git status | grep x; echo $(./bin/cli.js)', ROOT, ROOT)).toBe(true);
  expect(nodeishShell('git status --short && echo done', ROOT, ROOT)).toBe(false);
  expect(nodeishShell('', ROOT, ROOT)).toBe(false);
});
