/**
 * `npm run example` (scripts/example.mjs on the built dist/) is the README's first command: it
 * must keep showing the three outcomes it promises, on a real recorded map.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../../scripts/example.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

function runExample(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT], { cwd: REPO, encoding: 'utf8', timeout: 150_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The output of each `$ testsift detect …  # N. title` section, by N. */
function sections(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of stdout.split('\n$ testsift detect ').slice(1)) {
    const n = /# (\d)\./.exec(part)?.[1];
    if (n) out.set(n, part);
  }
  return out;
}

/** Tests an explain section lists as selected (lines with `←`). */
function selected(section: string): string[] {
  return [...section.matchAll(/^\s+(\S+)\s+←/gm)].map((m) => m[1]).sort();
}

describe('npm run example', () => {
  it('shows a selective change, a full suite by label and a full suite by CI-config change', { timeout: 180_000 }, async () => {
    const r = await runExample();
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
    expect(r.stdout).toMatch(/tests:\s+5\n/); // the recorded map saw every test file
    const s = sections(r.stdout);
    expect([...s.keys()]).toEqual(['1', '2', '3']);

    const one = s.get('1')!;
    // Block level by default: the change is inside bulkDiscount(), which only discount.test.ts
    // runs (cart.test.ts loads discount.ts for percentOff()).
    expect(one).toContain('testsift: selective, 1 of 5 test files (20%) for 1 changed file');
    expect(one).toContain('src/discount.ts (modified)');
    expect(one).toContain('src/discount.ts:8-11 (bulkDiscount) ← test/discount.test.ts');
    expect(selected(one)).toEqual(['test/discount.test.ts']);

    const two = s.get('2')!;
    expect(two).toContain('testsift: FULL SUITE, all 5 test files');
    expect(two).toContain('full suite, because:');
    expect(two).toContain("- label 'pipeline:run-all-tests' requests the full suite");

    const three = s.get('3')!;
    expect(three).toContain('testsift: FULL SUITE, all 5 test files');
    expect(three).toContain('full suite, because:');
    expect(three).toContain("- core file changed: .gitlab/ci/test.gitlab-ci.yml (full_suite.changes '.gitlab/ci/**')");

    // The temp project is removed afterwards (no --keep).
    const project = /^example project: (.+)$/m.exec(r.stdout)?.[1];
    expect(project).toBeDefined();
    expect(existsSync(project!)).toBe(false);
  });
});
