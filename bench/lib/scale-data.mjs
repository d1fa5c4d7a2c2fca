// Generated GitLab-scale data for bench/scale.bench.mjs, cached in bench/.data/scale (gitignored)
// and regenerated when the generator version or the parameters change.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GENERATOR_VERSION, generateGitlabMap, hottestSources } from './gitlab-map.mjs';
import { createRng } from './prng.mjs';

export const SCALE = { sources: 20_000, tests: 25_000, edgesPerTest: 180, seed: 42, shardFiles: 30_000, changed: 50, hot: 5 };

/** Stream the map as GitLab direct JSON ({"src": ["spec", …], …}) without one giant string. */
function writeDirectJson(path, gen) {
  const fd = openSync(path, 'w');
  let buf = '{';
  const flush = () => {
    writeSync(fd, buf);
    buf = '';
  };
  gen.sources.forEach((s, i) => {
    buf += `${i === 0 ? '' : ','}\n${JSON.stringify(s)}:[`;
    const row = gen.rows[i];
    for (let k = 0; k < row.length; k++) buf += (k === 0 ? '' : ',') + JSON.stringify(gen.tests[row[k]]);
    buf += ']';
    if (buf.length > 1 << 20) flush();
  });
  buf += '\n}\n';
  flush();
  closeSync(fd);
}

function git(cwd, args) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A git repository holding the 25k (empty) spec files, a tests.yml and a CI file. */
function writeTree(dir, gen) {
  rmSync(dir, { recursive: true, force: true });
  const made = new Set();
  for (const t of gen.tests) {
    const d = dirname(join(dir, t));
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    writeFileSync(join(dir, t), '');
  }
  writeFileSync(
    join(dir, 'tests.yml'),
    ["tests: ['spec/**/*_spec.rb', 'ee/spec/**/*_spec.rb']", 'full_suite:', "  changes: ['.gitlab-ci.yml', 'Gemfile.lock']", '  unmapped: full', ''].join('\n'),
  );
  writeFileSync(join(dir, '.gitlab-ci.yml'), 'rspec:\n  script: bundle exec rspec\n');
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'generated tree']);
}

function writeTimings(path, n, rng) {
  const out = {};
  for (let i = 0; i < n; i++) {
    const dir = `spec/area_${i % 97}/sub_${i % 13}`;
    out[`${dir}/file_${i}_spec.rb`] = Math.round(Math.exp(rng.normal() * 1.2 + 0.5) * 1000) / 1000;
  }
  writeFileSync(path, JSON.stringify(out));
}

/**
 * Ensure the data exists; returns paths, the generated map (for correctness checks) and the
 * changed-file list. Generating takes ~10–20 s once; later runs reuse it.
 */
export function ensureScaleData(root) {
  const dir = join(root, 'scale');
  const metaPath = join(dir, 'meta.json');
  const meta = { generatorVersion: GENERATOR_VERSION, scale: SCALE };
  const paths = {
    dir,
    direct: join(dir, 'direct.json'),
    tree: join(dir, 'tree'),
    changed: join(dir, 'changed.txt'),
    changedFull: join(dir, 'changed-full.txt'),
    timings: join(dir, 'timings-30k.json'),
    native: join(dir, 'native.map'),
  };
  const t0 = Date.now();
  const gen = generateGitlabMap(SCALE);
  const cached = existsSync(metaPath) && readFileSync(metaPath, 'utf8') === JSON.stringify(meta);
  if (!cached) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeDirectJson(paths.direct, gen);
    writeTree(paths.tree, gen);
    const rng = createRng(SCALE.seed + 1);
    const hot = hottestSources(gen.rows, SCALE.hot);
    const changed = new Set(hot);
    while (changed.size < SCALE.changed) changed.add(rng.int(gen.sources.length));
    writeFileSync(paths.changed, [...changed].map((i) => gen.sources[i]).join('\n') + '\n');
    writeFileSync(paths.changedFull, ['.gitlab-ci.yml', gen.sources[0]].join('\n') + '\n');
    writeTimings(paths.timings, SCALE.shardFiles, rng);
    writeFileSync(metaPath, JSON.stringify(meta));
  }
  const changed = readFileSync(paths.changed, 'utf8').split('\n').filter(Boolean);
  const headSha = git(paths.tree, ['rev-parse', 'HEAD']);
  return { paths, gen, changed, headSha, generatedNow: !cached, prepMs: Date.now() - t0 };
}
