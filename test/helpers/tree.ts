import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];

/** A temp directory holding `files` (a list of paths → empty files, or path → content). */
export function makeTree(files: readonly string[] | Record<string, string>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'testsift-static-')));
  made.push(root);
  const entries = Array.isArray(files) ? files.map((f) => [f, ''] as const) : Object.entries(files);
  for (const [p, content] of entries) {
    const abs = join(root, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

/** Remove every tree made so far (call from afterAll). */
export function removeTrees(): void {
  for (const r of made.splice(0)) rmSync(r, { recursive: true, force: true });
}
