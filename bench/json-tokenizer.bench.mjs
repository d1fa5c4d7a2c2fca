// JSON tokenizer on long tokens (`npm run bench -- tokenizer`). A map key or test path of several
// MB must cost time in proportion to its length: the tokenizer used to be quadratic in it (escapes
// scanned ahead to the closing quote, a string cut by a chunk boundary was re-read from its start
// with every chunk): a 4 MB key with escapes took ~290 s, and `detect` spent that before falling
// back. Each case is one `{"<key>": ["t"]}` document fed in chunks as readTextChunks feeds it
// (1 MB) or smaller (64 kB), against JSON.parse of the same text measured in this run; the last
// row is a map-shaped text (short paths, the hot path at GitLab scale) to show no per-character
// cost was added. TOKENIZER=<module path> measures another build of json-tokenizer.js.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const modPath = process.env.TOKENIZER ? pathToFileURL(process.env.TOKENIZER).href : '../dist/mappings/coverage/readers/json-tokenizer.js';
const { JsonTokenizer } = await import(modPath);

function tokenize(text, chunk) {
  let n = 0;
  const t = new JsonTokenizer('bench.json', () => n++);
  for (let i = 0; i < text.length; i += chunk) t.write(text.slice(i, i + chunk));
  t.end();
  return n;
}

/** Best of `runs` (after a warm-up), in ms: the least disturbed run on a shared machine. */
function best(runs, fn) {
  fn();
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

const MB = 1 << 20;
const key = (mb, kind) => {
  const n = Math.round(mb * MB);
  // 'escaped': one escape every 3 characters (a path full of \" or \u00xx); 'plain': none.
  return kind === 'escaped' ? 'a\\n'.repeat(Math.round(n / 3)) : 'a'.repeat(n);
};
const rows = [];
for (const [kind, chunk] of [
  ['escaped', MB],
  ['plain', 64 * 1024],
  ['escaped', 64 * 1024],
]) {
  for (const mb of [0.5, 2, 4]) {
    const text = `{"${key(mb, kind)}": ["t"]}`;
    if (tokenize(text, chunk) !== 7) throw new Error('wrong token count');
    const ms = best(3, () => tokenize(text, chunk));
    const parse = best(3, () => JSON.parse(text));
    rows.push({ case: `${mb} MB key, ${kind}, ${chunk / 1024} kB chunks`, ms, parse });
  }
}
{
  // ~20 MB shaped like a GitLab direct map: 40k sources × 20 tests of ~40 characters.
  const parts = [];
  for (let s = 0; s < 40_000; s++) {
    const tests = Array.from({ length: 20 }, (_, k) => `"spec/models/group_${(s * 7 + k) % 3000}/thing_spec.rb"`);
    parts.push(`"app/models/dir_${s % 97}/source_file_${s}.rb":[${tests.join(',')}]`);
  }
  const text = `{${parts.join(',\n')}}`;
  const ms = best(5, () => tokenize(text, MB));
  const parse = best(5, () => JSON.parse(text));
  rows.push({ case: `${(text.length / 1e6).toFixed(0)} MB map-shaped, 1024 kB chunks`, ms, parse });
}
console.log('case                                   tokenizer ms   JSON.parse ms   ratio');
for (const r of rows) {
  console.log(`${r.case.padEnd(38)} ${r.ms.toFixed(1).padStart(12)} ${r.parse.toFixed(1).padStart(15)} ${(r.ms / r.parse).toFixed(2).padStart(7)}`);
}
