/**
 * An output path that cannot be written (a directory, a parent that is a file, no permission) is
 * bad input: exit 2 naming the path and what is wrong, no stack trace, and no temp file left.
 */
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DETECT_TESTS_BIN, runCli } from '../../helpers/cli.js';
import { makeChangedScenario, type Scenario } from '../../helpers/scenario.js';

let s: Scenario;
afterEach(() => s?.repo.cleanup());

/** Every file under `dir` whose name looks like one of writeFileAtomic's temp files. */
function tempFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => p.endsWith('.tmp'));
}

describe('unwritable output paths', () => {
  it('detect --output <directory> is exit 2 naming the directory', async () => {
    s = await makeChangedScenario();
    mkdirSync(join(s.repo.root, 'out'));
    const r = await runCli(['detect', '--base', 'main', '--output', 'out'], { cwd: s.repo.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`testsift: ${join(s.repo.root, 'out')}: cannot write the file here: it is a directory; give a file path (EISDIR)\n`);
    expect(r.stdout).toBe('');
    expect(tempFiles(s.repo.root)).toEqual([]);
  });

  it('--list-output under a parent that is a file is exit 2', async () => {
    s = await makeChangedScenario();
    writeFileSync(join(s.repo.root, 'afile'), 'x\n');
    const r = await runCli(['detect', '--base', 'main', '--list-output', 'afile/tests.txt'], { cwd: s.repo.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^testsift: ${join(s.repo.root, 'afile/tests.txt')}: cannot write the file here: a parent of it is a file, not a folder \\((ENOTDIR|EEXIST)\\)\\n$`),
    );
    expect(r.stderr).not.toContain('    at ');
  });

  it('detect-tests when .testsift is a file is exit 2, not a crash', async () => {
    s = await makeChangedScenario();
    s.repo.remove('.testsift');
    writeFileSync(join(s.repo.root, '.testsift'), 'not a folder\n');
    const r = await runCli(['--base', 'main', '--coverage-map', 'none'], { cwd: s.repo.root, bin: DETECT_TESTS_BIN });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(s.repo.root, '.testsift/detect.json')}: cannot write the file here`);
  });

  it('timings merge --output <directory> is exit 2 too', async () => {
    s = await makeChangedScenario();
    writeFileSync(join(s.repo.root, 'a.json'), '{"test/a.test.ts": 1.5}\n');
    mkdirSync(join(s.repo.root, 'merged'));
    const r = await runCli(['timings', 'merge', 'a.json', '--output', 'merged'], { cwd: s.repo.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(s.repo.root, 'merged')}: cannot write the file here: it is a directory`);
    expect(tempFiles(s.repo.root)).toEqual([]);
  });

  // Permissions do not stop root, so this case only runs as an ordinary user.
  it.skipIf(process.getuid?.() === 0)('a folder without write permission is exit 2, and no temp file is left', async () => {
    s = await makeChangedScenario();
    const ro = join(s.repo.root, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    try {
      const r = await runCli(['detect', '--base', 'main', '--output', 'ro/sel.txt'], { cwd: s.repo.root });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cannot write the file here: permission denied (EACCES)');
      expect(tempFiles(ro)).toEqual([]);
    } finally {
      chmodSync(ro, 0o755);
    }
  });
});
