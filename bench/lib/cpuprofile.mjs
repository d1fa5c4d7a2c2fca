// Summarise a V8 .cpuprofile (from node --cpu-prof): self time per function and per file, so the
// bench can say where the time went without opening DevTools.
import { readFileSync } from 'node:fs';

export function summarizeProfile(path, top = 12) {
  const prof = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const n = byId.get(prof.samples[i]);
    self.set(n.id, (self.get(n.id) ?? 0) + (dt[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fnTimes = new Map();
  const fileTimes = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const file = cf.url ? cf.url.replace(/^file:\/\/.*?\/(node_modules|dist|bench)\//, '$1/') : `(${cf.functionName || 'native'})`;
    const fn = `${cf.functionName || '(anonymous)'} ${file}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
    fnTimes.set(fn, (fnTimes.get(fn) ?? 0) + us);
    // node_modules/<pkg>/ as one area; our files by folder
    const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const area = pkg ? `node_modules/${pkg[1]}` : cf.url ? file.replace(/\/[^/]*$/, '/') : file;
    fileTimes.set(area, (fileTimes.get(area) ?? 0) + us);
  }
  const sortDesc = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { totalMs: total / 1000, functions: sortDesc(fnTimes), areas: sortDesc(fileTimes) };
}
