// Shared helpers of the mutation benchmark: the project list, running a project's Vitest with the
// JSON reporter, installing this worktree's testsift build into a scratch checkout, the wrapper
// config that adds the plugin to the project's own config.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const testsiftRoot = resolve(here, '../..');
export const dataDir = join(here, 'data');

export function loadProjects() {
  return JSON.parse(readFileSync(join(here, 'projects.json'), 'utf8')).projects;
}

export function project(name) {
  const p = loadProjects().find((x) => x.name === name);
  if (!p)
    throw new Error(
      `no project '${name}' in bench/quality/projects.json (have: ${loadProjects()
        .map((x) => x.name)
        .join(', ')})`,
    );
  return p;
}

export function git(cwd, args, opts = {}) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} (in ${cwd}) failed: ${r.stderr}`);
  return r.stdout;
}

/** Checks that `dir` is a clean checkout of the project's pinned commit (tracked files). */
export function checkCheckout(p, dir) {
  const head = git(dir, ['rev-parse', 'HEAD']).trim();
  if (head !== p.commit) throw new Error(`${dir} is at ${head}, the pinned commit of ${p.name} is ${p.commit}`);
  const dirty = git(dir, ['status', '--porcelain', '--untracked-files=no']).trim();
  if (dirty) throw new Error(`${dir} has changes to tracked files:\n${dirty}`);
}

/**
 * Makes `testsift` importable from the project's package dir as this worktree's build: a real
 * directory (package.json + a copy of dist), so `vitest` imported by the plugin resolves to the
 * project's own Vitest, and symlinks to testsift's runtime dependencies only.
 */
export function installTestsift(pkgDir) {
  const target = join(pkgDir, 'node_modules/testsift');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, 'node_modules'), { recursive: true });
  cpSync(join(testsiftRoot, 'package.json'), join(target, 'package.json'));
  cpSync(join(testsiftRoot, 'dist'), join(target, 'dist'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(testsiftRoot, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies)) {
    const at = join(target, 'node_modules', dep);
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(join(testsiftRoot, 'node_modules', dep), at, 'dir');
  }
}

export const WRAPPER = 'vitest.testsift-bench.config.mjs';

/** Writes the wrapper config: the project's own config (if any) plus the testsift plugin. */
export function writeWrapperConfig(p, pkgDir) {
  const own = p.vitestConfig ? `./${p.vitestConfig}` : undefined;
  const src = `// Written by testsift's bench/quality: the project's Vitest config plus the testsift plugin.
import { defineConfig, mergeConfig } from 'vitest/config';
import testsift from 'testsift/vitest';
${own ? `import own from ${JSON.stringify(own)};` : 'const own = {};'}
const base = typeof own === 'function' ? await own({ command: 'serve', mode: 'test' }) : own;
export default mergeConfig(base, defineConfig({ plugins: [testsift()] }));
`;
  writeFileSync(join(pkgDir, WRAPPER), src);
}

/**
 * One run of the project's suite with the JSON reporter. Returns { ok, seconds, files: [{ file
 * (repo-relative), status }], timedOut, stderr }. `command` replaces the project's `run` arguments.
 */
export function runSuite(p, repoDir, { env = {}, command, extraArgs = [], timeoutMs = 600_000, config } = {}) {
  const pkgDir = join(repoDir, p.packageDir ?? '.');
  const out = join(pkgDir, `.bench-quality-report.json`);
  rmSync(out, { force: true });
  const args = [
    join(pkgDir, p.vitestBin ?? 'node_modules/vitest/vitest.mjs'),
    ...(command ?? p.runArgs ?? ['run']),
    ...extraArgs,
    '--reporter=json',
    `--outputFile=${out}`,
  ];
  if (config) args.push(`--config=${config}`);
  const cleanEnv = { ...process.env, NO_COLOR: '1', CI: '1' };
  for (const k of Object.keys(cleanEnv)) if (k.startsWith('TESTSIFT_') || k.startsWith('VITEST')) delete cleanEnv[k];
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: pkgDir,
    env: { ...cleanEnv, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 1 << 28,
    killSignal: 'SIGKILL',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL') return { ok: false, timedOut: true, seconds, files: [], stderr: r.stderr };
  if (!existsSync(out)) return { ok: false, timedOut: false, seconds, files: [], stderr: `${r.stdout}\n${r.stderr}` };
  const report = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out, { force: true });
  const files = report.testResults.map((t) => ({ file: relative(repoDir, t.name).split('\\').join('/'), status: t.status }));
  return { ok: true, timedOut: false, seconds, files, exitCode: r.status, stderr: r.stderr };
}

export const failingOf = (run) =>
  run.files
    .filter((f) => f.status !== 'passed')
    .map((f) => f.file)
    .sort();
