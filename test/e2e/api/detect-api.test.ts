/**
 * The library API as a user gets it: `import … from 'testsift'` resolves (through package.json
 * `exports`, by self-reference) to the built dist/index.js, and its declarations type-check a
 * small user script.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeScenario, type Scenario } from '../../helpers/scenario.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const TSC = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
const USAGE = fileURLToPath(new URL('./fixtures/usage.ts', import.meta.url));

let s: Scenario | undefined;
afterEach(() => s?.repo.cleanup());

describe("the package entry ('testsift')", () => {
  it('resolves to the built dist/index.js', () => {
    expect(import.meta.resolve('testsift')).toBe(new URL('../../../dist/index.js', import.meta.url).href);
  });

  it('detectTests on a real repository returns the Selection with reasons', async () => {
    const api = await import('testsift');
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': 'export const cents = (x: number) => Math.round(x * 100);\n', 'README.md': '# more\n' }).commit('money');
    const r = await api.detectTests({ cwd: s.repo.root, base: 'main', env: {} });
    expect(r.mode).toBe('selective');
    expect(r.reasons).toEqual([]);
    expect(r.tests).toEqual(['test/cart.test.ts', 'test/money.test.ts']);
    expect(r.selection.map((x) => x.test)).toEqual(r.tests);
    expect(r.selection[1].because.map((b) => b.strategy).sort()).toEqual(['coverage-map', 'tests.yml']);
    expect(r.changedFiles).toEqual(['README.md', 'src/money.ts']);
    expect(r.ignored).toEqual(['README.md']);
    expect(r.unmapped).toEqual([]);
    expect(r.staleFiles).toEqual([]);
    expect(r.failFast).toEqual({ tests: ['test/money.test.ts'] });
    expect(r.warnings).toEqual([]);
    expect(r.labels).toEqual([]);
    expect({ base: r.base, head: r.head, mergeBase: r.mergeBase }).toEqual({ base: 'main', head: 'HEAD', mergeBase: s.mapCommit });
    expect(r.map).toMatchObject({ path: '.testsift/map.json', format: 'native', commit: s.mapCommit });
    // The JSON rendering is the CLI's contract, from the same object.
    expect(JSON.parse(api.selectionJson(r)).tests).toEqual(r.tests);

    const full = await api.detectTests({ cwd: s.repo.root, base: 'main', labels: ['pipeline:run-all-tests'], env: {} });
    expect(full.mode).toBe('full');
    expect(full.reasons).toEqual(["label 'pipeline:run-all-tests' requests the full suite"]);
    expect(full.tests).toHaveLength(5);
    expect(full.universeSize).toBe(5);
  });

  it("a caller's own strategy selects through DetectOptions.strategies and explains its reasons in its own words", async () => {
    const api = await import('testsift');
    s = await makeScenario();
    s.repo.write({ 'src/money.ts': 'export const cents = (x: number) => Math.round(x * 100);\n' }).commit('money');
    // Payments code is owned by a team whose legacy test must run too (no map row or rule says so).
    const owners: import('testsift').Strategy = {
      name: 'owners',
      direct: true,
      reasonsName: 'changed-file',
      describe: (r) => `owned by payments (${r.detail})`,
      select: (ctx) => {
        const files = ctx.changes.files.filter((f) => f.path.startsWith('src/money'));
        return {
          groups: files.map((f) => ({ reason: { strategy: 'owners', file: f.path, detail: 'CODEOWNERS:3' }, tests: ['test/legacy.test.ts'] })),
          explained: files.map((f) => f.path),
        };
      },
    };
    const r = await api.detectTests({ cwd: s.repo.root, base: 'main', env: {}, strategies: [...api.builtinStrategies, owners] });
    expect(r.mode).toBe('selective');
    expect(r.tests).toEqual(['test/cart.test.ts', 'test/legacy.test.ts', 'test/money.test.ts']);
    const reason = { strategy: 'owners', file: 'src/money.ts', detail: 'CODEOWNERS:3' };
    expect(JSON.parse(api.selectionJson(r)).selection).toContainEqual({ test: 'test/legacy.test.ts', because: [reason] });
    // `direct`: the strategy's tests join the fail-fast subset.
    expect(r.failFast).toEqual({ tests: ['test/legacy.test.ts', 'test/money.test.ts'] });
    const explain = api.selectionExplain(r);
    expect(explain).toMatch(/^src\/money\.ts \(modified\)\n(?: {2}.*\n)* {2}test\/legacy\.test\.ts +← owned by payments \(CODEOWNERS:3\)\n/m);
    expect(explain).toContain('test/money.test.ts   ← tests.yml rule at tests.yml:2; coverage map: it executed or read this file\n');

    // Only the caller's strategies: nothing else selects.
    const alone = await api.detectTests({ cwd: s.repo.root, base: 'main', env: {}, strategies: [owners] });
    expect(alone.tests).toEqual(['test/legacy.test.ts']);
    expect(alone.selection).toEqual([{ test: 'test/legacy.test.ts', because: [reason] }]);

    // A strategy that throws makes the selection untrustworthy: the full suite, naming it.
    const broken = {
      ...owners,
      name: 'broken',
      select: () => {
        throw new Error('CODEOWNERS unreadable');
      },
    };
    const full = await api.detectTests({ cwd: s.repo.root, base: 'main', env: {}, strategies: [...api.builtinStrategies, broken] });
    expect(full.mode).toBe('full');
    expect(full.reasons).toContain('strategy broken failed: CODEOWNERS unreadable');

    // Names explain reasons, so two strategies may not share one.
    const twice = await api.detectTests({ cwd: s.repo.root, base: 'main', env: {}, strategies: [owners, owners] }).catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(api.UsageError);
    expect((twice as Error).message).toContain("two strategies are named 'owners'");
  });

  it('invalid config throws the exported InputError, with its location', async () => {
    const api = await import('testsift');
    s = await makeScenario();
    writeFileSync(`${s.repo.root}/bad.yml`, 'mapping: []\ntests: []\n');
    const err = await api.detectTests({ cwd: s.repo.root, base: 'main', config: 'bad.yml', env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(api.InputError);
    expect((err as InstanceType<typeof api.InputError>).location).toMatchObject({ file: 'bad.yml', line: 2, key: 'tests' });
    expect((err as InstanceType<typeof api.InputError>).exitCode).toBe(2);
  });

  it("a user's TypeScript script type-checks against the built declarations", { timeout: 120_000 }, async () => {
    const args = [TSC, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', USAGE];
    const r = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, args, { cwd: REPO, encoding: 'utf8' }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: `${stdout}${stderr}` }));
    });
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });
});
