#!/usr/bin/env node
// Differential check of the Ruby regex translation (src/config/ruby-regex.ts) against
// Ruby itself: `npm run check:ruby-regex [-- --patterns N --seed S --paths P] [extra tests.yml ...]`.
// Needs `ruby` on PATH; not part of `npm test` (CI need not have Ruby).
//
// For each pattern, as tff does: Ruby compiles /^#{source}$/ and matches repo paths; we compile
// our translation and match the same paths. Compared per path: match or not, and the captures
// tff would substitute (named groups by name, else the numbered ones; a group that did not take
// part is ""). Patterns: the `source:` entries of the tests.yml files in this repo (and any given
// on the command line), plus seeded random patterns from a small regex grammar. Paths: random
// joins of the pattern's own literal pieces and a few generic ones, so many of them match.
//
// Reported: `mismatch` (both compile, some path differs: a bug), `accepted but Ruby rejects`
// (we translate a regex Ruby refuses: tff would fail on that tests.yml), `refused` (we refuse a
// regex Ruby accepts: by design, with a reason, whatever has no exact JavaScript equivalent).
// Exits 1 on any mismatch or accepted-but-rejected pattern.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, 'package.json'));
const fc = require('fast-check');
const YAML = require('yaml');
const translation = join(root, 'dist/config/ruby-regex.js');
if (!existsSync(translation)) throw new Error(`ruby-regex-diff: ${translation} is missing; run \`npx tsc -p tsconfig.json\` first`);
const { compileRubySource, capturesOf, RubyRegexError } = await import(pathToFileURL(translation).href);

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return Number(value);
};
const PATTERNS = option('--patterns', 4000);
const SEED = option('--seed', 20240601);
const PATHS = option('--paths', 40);
const LIST = option('--list', 20);

// --- patterns -------------------------------------------------------------------------------
const ymlFiles = [join(root, 'mappings.example.yml'), join(root, 'fixtures/example/tests.yml'), ...args];
const realSources = new Set();
const collectSources = (v) => {
  if (Array.isArray(v)) v.forEach(collectSources);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'source') for (const s of [x].flat()) if (typeof s === 'string') realSources.add(s);
      collectSources(x);
    }
  }
};
for (const f of ymlFiles) for (const doc of YAML.parseAllDocuments(readFileSync(f, 'utf8'))) collectSources(doc.toJS());

// A small regex grammar over a few characters, so random paths often match. Characters where
// Ruby and JavaScript might disagree (case folding, \s, ., astral characters) are in it on purpose.
const CHARS = ['a', 'b', 'A', 'k', 's', '/', '_', '-', 'é', 'ß', '\u212a', '\u017f', '😀', ' ', '\r', '1'];
const lit = fc.constantFrom('a', 'b', 'A', '/', '_', '-', 'é', 'ß', '😀', '\\.', '\\/', '\\-', '1');
const classItem = fc.constantFrom('a', 'b', 'a-c', '/', '\\s', '\\d', '\\w', '\\h', '_', '\\-', 'é', '[:alpha:]', '[:digit:]', '[:upper:]', '\\p{L}');
const cls = fc.tuple(fc.boolean(), fc.array(classItem, { minLength: 1, maxLength: 3 })).map(([neg, items]) => `[${neg ? '^' : ''}${items.join('')}]`);
const escape = fc.constantFrom('\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\h', '\\H', '.', '\\p{L}', '\\p{^L}', '\\P{Lu}', '\\x61', '\\u0061', '\\u{1F600}');
const assertion = fc.constantFrom('^', '$', '\\A', '\\z', '\\Z', '\\b', '\\B');
const quant = fc.constantFrom('*', '+', '?', '{2}', '{1,2}', '{,2}', '{2,}', '*?', '+?', '??', '{1,2}?', '*+', '++', '?+', '{2}+', '{2}?');
const { regex } = fc.letrec((tie) => ({
  atom: fc.oneof(
    { arbitrary: lit, weight: 6 },
    { arbitrary: cls, weight: 2 },
    { arbitrary: escape, weight: 2 },
    { arbitrary: assertion, weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('(', '(?:', '(?>', '(?<n>', '(?<m>', '(?=', '(?!', '(?<=', '(?<!'), tie('regex')).map(([o, r]) => `${o}${r})`), weight: 3 },
    { arbitrary: fc.constantFrom('\\1', '\\2', '\\k<n>'), weight: 1 },
  ),
  piece: fc.tuple(tie('atom'), fc.option(quant, { freq: 3 })).map(([a, q]) => a + (q ?? '')),
  seq: fc.array(tie('piece'), { minLength: 1, maxLength: 4 }).map((p) => p.join('')),
  regex: fc.oneof(
    { depthSize: 'small' },
    tie('seq'),
    fc.array(tie('seq'), { minLength: 2, maxLength: 3 }).map((a) => a.join('|')),
  ),
}));
const pattern = fc.tuple(fc.constantFrom('', '', '', '(?i)', '(?m)'), regex).map(([o, r]) => o + r);
const patterns = [...realSources, ...fc.sample(pattern, { numRuns: PATTERNS, seed: SEED })];

// --- paths ----------------------------------------------------------------------------------
/** The literal runs of a pattern (`ee/app/`, `.rb`, …): joined at random, they make paths it matches. */
function literalPieces(src) {
  return src
    .replace(/\\(.)/gu, '$1')
    .split(/[()[\]{}|*+?^$<>]+/u)
    .filter((s) => s && !/^[?:!=]/u.test(s));
}
function pathsFor(src, rand) {
  const pieces = [...new Set([...literalPieces(src), ...CHARS, 'x/', 'user', 'models/'])];
  const out = new Set(['']);
  for (let k = 0; out.size < PATHS && k < PATHS * 4; k++) {
    let p = '';
    for (let n = Math.floor(rand() * 6); n > 0; n--) p += pieces[Math.floor(rand() * pieces.length)];
    out.add(p);
  }
  return [...out];
}
// Deterministic per seed (mulberry32).
let state = SEED >>> 0;
const rand = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const cases = [...new Set(patterns)].map((p) => ({ p, paths: pathsFor(p, rand) }));

// --- Ruby -----------------------------------------------------------------------------------
const rubyScript = String.raw`
require 'json'
require 'timeout'
$VERBOSE = nil
out = JSON.parse($stdin.read).map do |c|
  begin
    source = c['p']
    re = %r{^#{source}$}
  rescue RegexpError, SyntaxError => e
    next({ 'error' => e.message })
  end
  begin
    Timeout.timeout(5) do
      results = c['paths'].map do |path|
        m = re.match(path)
        next nil if m.nil?
        re.names.empty? ? m.captures.map { |x| x || '' } : re.names.map { |n| m[n] || '' }
      end
      { 'version' => RUBY_VERSION, 'names' => re.names, 'results' => results }
    end
  rescue Timeout::Error
    { 'timeout' => true }
  end
end
puts JSON.generate(out)
`;
const ruby = spawnSync('ruby', ['-e', rubyScript], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 30 });
if (ruby.error || ruby.status !== 0) throw new Error(`ruby-regex-diff: ruby failed: ${ruby.error?.message ?? ruby.stderr}`);
const rubyResults = JSON.parse(ruby.stdout);

// --- compare --------------------------------------------------------------------------------
const counts = { patterns: cases.length, compared: 0, pathsCompared: 0, pathsMatched: 0, refused: 0, bothReject: 0, rubyTimeout: 0 };
const mismatches = [];
const acceptedInvalid = [];
cases.forEach(({ p, paths }, k) => {
  const r = rubyResults[k];
  let compiled;
  try {
    compiled = compileRubySource(p);
  } catch (err) {
    if (!(err instanceof RubyRegexError)) throw err;
    if (r.error) counts.bothReject++;
    else counts.refused++;
    return;
  }
  if (r.error) {
    acceptedInvalid.push({ pattern: p, ruby: r.error });
    return;
  }
  if (r.timeout) {
    counts.rubyTimeout++;
    return;
  }
  counts.compared++;
  const names = [...new Set(compiled.names)];
  paths.forEach((path, j) => {
    const m = compiled.regex.exec(path);
    let ours = null;
    if (m) {
      const caps = capturesOf(compiled, m);
      ours = names.length ? names.map((n) => caps.named.get(n)) : caps.positional;
    }
    counts.pathsCompared++;
    if (ours) counts.pathsMatched++;
    if (JSON.stringify(ours) !== JSON.stringify(r.results[j])) mismatches.push({ pattern: p, js: `/^${compiled.regex.source.slice(1)}`, path, ruby: r.results[j], ours });
  });
});

const version = rubyResults.find((r) => r.version)?.version ?? '?';
console.log(`Ruby ${version}, seed ${SEED}: ${realSources.size} tests.yml sources + ${PATTERNS} generated patterns, up to ${PATHS} paths each`);
console.log(counts);
// One line per pattern: its first differing path and how many differ.
const byPattern = new Map();
for (const m of mismatches) byPattern.set(m.pattern, [...(byPattern.get(m.pattern) ?? []), m]);
for (const [, ms] of [...byPattern].slice(0, LIST)) console.log('MISMATCH', JSON.stringify({ ...ms[0], paths: ms.length }));
for (const a of acceptedInvalid.slice(0, LIST)) console.log('ACCEPTED BUT RUBY REJECTS', JSON.stringify(a));
console.log(`${mismatches.length} mismatching (pattern, path) pairs in ${byPattern.size} patterns; ${acceptedInvalid.length} patterns accepted that Ruby rejects`);
process.exitCode = mismatches.length || acceptedInvalid.length ? 1 : 0;
