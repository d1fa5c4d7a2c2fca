// Mutation benchmark on real projects (bench/quality): scores `testsift detect` against stored
// oracles — per mutant of a real project, the test files that fail — at each granularity, beside
// `vitest related` (the static import graph) and the oracle itself. Runs from stored data only
// (bench/quality/data), in a minute or two; regenerating an oracle runs real suites: see
// bench/quality/README.md. QUALITY_GRANULARITIES=file,function,block,… picks the granularities
// (`function`: block level on the stored map cut down to functions; `block` is branch level).
import { availableProjects, scoreProject } from './quality/score.mjs';

const granularities = (process.env.QUALITY_GRANULARITIES ?? 'file,function,block')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const pct = (x) => (Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)}%`);
let unsafe = 0;
for (const name of availableProjects()) {
  const started = Date.now();
  const r = await scoreProject(name, granularities);
  console.log(
    `\n${name} @ ${r.data.commit.slice(0, 12)} (vitest ${r.data.vitest}): ${r.total} test files; ${r.data.mutants.length} mutants: ` +
      `${r.killed} killed, ${r.scored - r.killed} survived, ${r.excluded} excluded (flaky/timeout/error); baseline failing files: ${r.data.baselineFailing.length}`,
  );
  console.log('selector                  safety (killed mutants)   mean selected share   full-suite fallbacks');
  for (const row of r.rows) {
    if (row.unsupported) {
      console.log(`${row.what.padEnd(25)} unsupported: ${row.unsupported.split('\n')[0]}`);
      continue;
    }
    const safety = r.killed ? `${row.safe}/${r.killed} = ${pct(row.safe / r.killed)}` : '–';
    console.log(`${row.what.padEnd(25)} ${safety.padEnd(25)} ${pct(row.share).padStart(20)}   ${String(row.full).padStart(8)}`);
  }
  if (!r.branchBlocks) console.log('  (the stored map has no branch blocks: `block` is function level here)');
  for (const m of r.misses) console.log(`  MISSED by detect ${m.granularity}: ${m.mutant} ${m.kind} ${m.file}:${m.line} → ${m.missed.join(', ')}`);
  unsafe += r.misses.length;
  console.log(`(scored in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
if (unsafe) {
  console.log(`\n${unsafe} missed failing test file(s): detect must select every failing file (safety 100%)`);
  process.exitCode = 1;
}
