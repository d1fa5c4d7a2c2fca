// Child-process measurements for benches: wall time (hrtime around spawnSync) and peak RSS
// (GNU time's "Maximum resident set size" when /usr/bin/time exists, else not reported).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Run once; returns { ms, maxRssMb, stdout, stderr, status }. Throws on a non-zero exit. */
export function run(cmd, args, { cwd, env, rss = false, allowFail = false, input } = {}) {
  const useTime = rss && GNU_TIME;
  const file = useTime ? GNU_TIME : cmd;
  const argv = useTime ? ['-f', '@@maxrss=%M', cmd, ...args] : args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30, input });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let stderr = r.stderr ?? '';
  let maxRssMb;
  if (useTime) {
    const m = /@@maxrss=(\d+)/.exec(stderr);
    if (m) maxRssMb = Number(m[1]) / 1024;
    stderr = stderr.replace(/@@maxrss=\d+\n?/, '');
  }
  if (r.status !== 0 && !allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${stderr.slice(0, 2000)}`);
  }
  return { ms, maxRssMb, stdout: r.stdout ?? '', stderr, status: r.status };
}

/** Median wall time of `n` runs (after one unmeasured warm-up, so the page cache is hot). */
export function medianMs(n, cmd, args, opts = {}) {
  run(cmd, args, opts);
  const times = [];
  let last;
  for (let i = 0; i < n; i++) {
    last = run(cmd, args, opts);
    times.push(last.ms);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], min: times[0], last };
}

export function fmt(x, digits = 1) {
  return typeof x === 'number' ? x.toFixed(digits) : String(x);
}

/** Print an aligned table. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(r.map((v, c) => String(v).padEnd(widths[c])).join('  '));
}
