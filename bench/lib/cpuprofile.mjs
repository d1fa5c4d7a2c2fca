// Summarise a V8 .cpuprofile (from node --cpu-prof): self time per function and per area (our
// folders, each node_modules package, node internals), and inclusive time of our own functions,
// so the bench can say where the time went without opening DevTools.
import { readFileSync } from 'node:fs';

/** node_modules/<pkg>/… for dependencies, dist/… for ours (also in a dist snapshot), else as is. */
function label(cf) {
  const url = cf.url;
  let file = `(${cf.functionName || 'native'})`;
  if (url) {
    const nm = url.lastIndexOf('/node_modules/');
    const d = url.lastIndexOf('/dist/');
    file = nm >= 0 ? url.slice(nm + 1) : d >= 0 ? url.slice(d + 1) : url.replace(/^file:\/\//, '');
  }
  return { file, fn: `${cf.functionName || '(anonymous)'} ${file}${url ? `:${cf.lineNumber + 1}` : ''}` };
}

export function summarizeProfile(path, top = 12) {
  const prof = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);

  const fnTimes = new Map();
  const areaTimes = new Map();
  for (const [id, us] of self) {
    const { file, fn } = label(byId.get(id).callFrame);
    fnTimes.set(fn, (fnTimes.get(fn) ?? 0) + us);
    const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const area = pkg ? `node_modules/${pkg[1]}` : byId.get(id).callFrame.url ? file.replace(/\/[^/]*$/, '/') : file;
    areaTimes.set(area, (areaTimes.get(area) ?? 0) + us);
  }

  // Inclusive time of functions in dist/ (counted once per call path even when recursive).
  const inclusive = new Map();
  const walk = (id, active) => {
    const n = byId.get(id);
    let sum = self.get(id) ?? 0;
    const { file, fn } = label(n.callFrame);
    const ours = file.startsWith('dist/') && !active.has(fn);
    if (ours) active.add(fn);
    for (const c of n.children ?? []) sum += walk(c, active);
    if (ours) {
      active.delete(fn);
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + sum);
    }
    return sum;
  };
  walk(prof.nodes[0].id, new Set());

  const sortDesc = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { totalMs: total / 1000, functions: sortDesc(fnTimes), areas: sortDesc(areaTimes), inclusive: sortDesc(inclusive) };
}
