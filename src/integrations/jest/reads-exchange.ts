import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Read what `testsift/jest/setup` wrote (see setup.cts for the format): absolute test path →
 * absolute files it read. A line cut short by a crashing worker is skipped; the rest stands.
 */
export function collectReads(dir: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.reads'));
  } catch {
    return out;
  }
  for (const name of names) {
    let lines: string[];
    try {
      lines = readFileSync(join(dir, name), 'utf8').split('\n');
    } catch {
      continue;
    }
    const paths: string[] = [];
    for (const line of lines) {
      if (!line) continue;
      try {
        const v: unknown = JSON.parse(line);
        if (typeof v === 'string') paths.push(v);
      } catch {
        // partial last line
      }
    }
    const [test, ...read] = paths;
    if (!test) continue;
    let set = out.get(test);
    if (!set) out.set(test, (set = new Set()));
    for (const r of read) set.add(r);
  }
  return out;
}
