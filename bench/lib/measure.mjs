// Child-process measurements for benches: wall time (hrtime around spawnSync), and — through GNU
// time when /usr/bin/time exists — CPU time (user + sys, including reaped grandchildren such as
// git) and peak RSS. CPU time is the steadier measure on a shared, loaded machine: wall time
// there mostly measures the neighbours.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const MARK = '@@bench';

/** Run once; returns { ms, cpuMs, maxRssMb, stdout, stderr, status }. Throws on a non-zero exit. */
export function run(cmd, args, { cwd, env, allowFail = false, input } = {}) {
  const file = GNU_TIME ?? cmd;
  const argv = GNU_TIME ? ['-f', `${MARK} %U %S %M`, cmd, ...args] : args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30, input });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let stderr = r.stderr ?? '';
  let cpuMs;
  let maxRssMb;
  const m = new RegExp(`${MARK} ([\\d.]+) ([\\d.]+) (\\d+)\\n?`).exec(stderr);
  if (m) {
    cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
    maxRssMb = Number(m[3]) / 1024;
    stderr = stderr.replace(m[0], '');
  }
  if (r.status !== 0 && !allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${stderr.slice(0, 2000)}`);
  }
  return { ms, cpuMs, maxRssMb, stdout: r.stdout ?? '', stderr, status: r.status };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Mean of the middle 60%: GNU time reports CPU in 10 ms steps, a mean over runs resolves finer. */
function trimmedMean(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(s.length * 0.2);
  const mid = s.slice(cut, s.length - cut);
  return mid.reduce((a, b) => a + b, 0) / mid.length;
}

/**
 * `n` runs after one unmeasured warm-up (page cache hot): median and min wall time, trimmed-mean
 * and min CPU time, the largest peak RSS, and the last run's output.
 */
export function repeat(n, cmd, args, opts = {}) {
  run(cmd, args, opts);
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(run(cmd, args, opts));
  return summarize(runs);
}

/**
 * Several commands measured side by side: one unmeasured warm-up each, then `rounds` rounds that
 * run every command once, in an order rotated each round. On a shared machine whose speed drifts
 * (neighbours, frequency), a baseline and the thing compared with it then see the same
 * conditions. Returns, per name, what `repeat` returns plus `perRound` (each round's run).
 */
export function interleaved(rounds, specs) {
  const names = Object.keys(specs);
  for (const n of names) run(specs[n].cmd, specs[n].args, specs[n].opts);
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(r + k) % names.length];
      runs[n].push(run(specs[n].cmd, specs[n].args, specs[n].opts));
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(runs[n])]));
}

function summarize(runs) {
  const wall = runs.map((r) => r.ms);
  const cpu = runs.map((r) => r.cpuMs ?? NaN);
  return {
    ms: median(wall),
    minMs: Math.min(...wall),
    cpuMs: trimmedMean(cpu),
    minCpuMs: Math.min(...cpu),
    maxRssMb: Math.max(...runs.map((r) => r.maxRssMb ?? NaN)),
    last: runs[runs.length - 1],
    outputs: runs.map((r) => r.stdout),
    perRound: runs,
    runs: runs.length,
  };
}

export function load() {
  return loadavg()[0];
}

export function fmt(x, digits = 1) {
  return typeof x === 'number' ? x.toFixed(digits) : String(x);
}

/** Print an aligned table. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows)
    console.log(
      r
        .map((v, c) => String(v).padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    );
}
