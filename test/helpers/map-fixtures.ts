import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MapRecord } from '../../src/mappings/coverage/index.js';

/** fixtures/maps/<rel>, absolute. */
export function fixture(rel: string): string {
  return fileURLToPath(new URL(`../../fixtures/maps/${rel}`, import.meta.url));
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-maps-')));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A record as plain data: source → sorted tests, plus the known-but-unused files. */
export function edgesOf(record: MapRecord): { rows: Record<string, string[]>; unused: string[] } {
  const rows: Record<string, string[]> = {};
  for (const [source, ids] of [...record.rows].sort(([a], [b]) => (a < b ? -1 : 1))) {
    rows[source] = Array.from(ids, (id) => record.tests[id]).sort();
  }
  return { rows, unused: [...record.unused].sort() };
}

/** What every sample of the little Ruby project in fixtures/maps should decode to. */
export const SAMPLE_ROWS: Record<string, string[]> = {
  'app/models/concerns/naming.rb': ['spec/models/user_spec.rb'],
  'app/models/user.rb': ['spec/models/user_spec.rb', 'spec/requests/users_spec.rb'],
  'app/services/mailer.rb': ['spec/models/user_spec.rb'],
  'lib/util.rb': ['spec/lib/util_spec.rb', 'spec/models/user_spec.rb'],
};
