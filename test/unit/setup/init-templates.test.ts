import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/index.js';
import { ciRecipe } from '../../../src/setup/init/ci-recipe.js';
import { testsYml } from '../../../src/setup/init/tests-yml.js';
import { addVitestPlugin, VITEST_IMPORT } from '../../../src/setup/init/vitest-config.js';

describe('addVitestPlugin: a careful textual edit of vitest.config.*', () => {
  test('inserts into an existing plugins array and imports after the last import', () => {
    const text = `import { defineConfig } from 'vitest/config';\nimport react from '@vitejs/plugin-react';\n\nexport default defineConfig({\n  plugins: [react()],\n  test: { include: ['src/**/*.test.ts'] },\n});\n`;
    const r = addVitestPlugin(text);
    expect(r).toEqual({
      kind: 'edited',
      text: `import { defineConfig } from 'vitest/config';\nimport react from '@vitejs/plugin-react';\n${VITEST_IMPORT}\n\nexport default defineConfig({\n  plugins: [testsift(), react()],\n  test: { include: ['src/**/*.test.ts'] },\n});\n`,
    });
  });

  test('keeps a multi-line plugins array multi-line, and an empty one becomes [testsift()]', () => {
    const multi = addVitestPlugin(`import { defineConfig } from 'vitest/config';\nexport default defineConfig({\n  plugins: [\n    react(),\n  ],\n});\n`);
    expect(multi.kind === 'edited' && multi.text).toContain(`plugins: [\n    testsift(),\n    react(),\n  ],`);
    const empty = addVitestPlugin(`import { defineConfig } from 'vitest/config';\nexport default defineConfig({ plugins: [], test: {} });\n`);
    expect(empty.kind === 'edited' && empty.text).toContain('defineConfig({ plugins: [testsift()], test: {} })');
  });

  test('adds a plugins key after defineConfig({ when there is none; a multi-line import counts', () => {
    const text = `import {\n  defineConfig,\n} from 'vitest/config';\n\nexport default defineConfig({\n  test: {\n    include: ['test/**/*.test.ts'],\n  },\n});\n`;
    const r = addVitestPlugin(text);
    expect(r.kind === 'edited' && r.text).toBe(
      `import {\n  defineConfig,\n} from 'vitest/config';\n${VITEST_IMPORT}\n\nexport default defineConfig({\n  plugins: [testsift()],\n  test: {\n    include: ['test/**/*.test.ts'],\n  },\n});\n`,
    );
    const bare = addVitestPlugin(`import { defineConfig } from 'vitest/config';\nexport default defineConfig({});\n`);
    expect(bare.kind === 'edited' && bare.text).toContain('defineConfig({ plugins: [testsift()] })');
  });

  test('a commented-out plugins line is neither edited nor counted', () => {
    const r = addVitestPlugin(`import { defineConfig } from 'vitest/config';\nexport default defineConfig({\n  // plugins: [old()],\n  test: {},\n});\n`);
    expect(r.kind === 'edited' && r.text).toContain(`defineConfig({\n  plugins: [testsift()],\n  // plugins: [old()],`);
  });

  test("the import follows the file's style: no semicolons, double quotes (found on pmndrs/zustand, whose format check failed after init)", () => {
    const bare = addVitestPlugin(`import { resolve } from 'path'\nimport { defineConfig } from 'vitest/config'\n\nexport default defineConfig({\n  test: {},\n})\n`);
    expect(bare.kind === 'edited' && bare.text).toBe(
      `import { resolve } from 'path'\nimport { defineConfig } from 'vitest/config'\nimport testsift from 'testsift/vitest'\n\nexport default defineConfig({\n  plugins: [testsift()],\n  test: {},\n})\n`,
    );
    const dq = addVitestPlugin(`import { defineConfig } from "vitest/config";\nexport default defineConfig({});\n`);
    expect(dq.kind === 'edited' && dq.text).toContain(`import { defineConfig } from "vitest/config";\nimport testsift from "testsift/vitest";\n`);
    expect(addVitestPlugin(`import testsift from "testsift/vitest"\nexport default defineConfig({ plugins: [testsift()] })\n`)).toEqual({ kind: 'present' });
  });

  test('already configured: nothing to do (a commented-out import does not count)', () => {
    expect(addVitestPlugin(`import testsift from 'testsift/vitest';\nexport default defineConfig({ plugins: [testsift()] });\n`)).toEqual({ kind: 'present' });
    expect(addVitestPlugin(`// import testsift from 'testsift/vitest';\nimport { defineConfig } from 'vitest/config';\nexport default defineConfig({});\n`).kind).toBe(
      'edited',
    );
  });

  test.each([
    ['a function config', `import { defineConfig } from 'vitest/config';\nexport default defineConfig(({ mode }) => ({ test: {} }));\n`, /no defineConfig/],
    ['no defineConfig', `export default { test: {} };\n`, /no defineConfig/],
    [
      'two plugins arrays',
      `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ plugins: [a()], test: { projects: [{ plugins: [b()] }] } });\n`,
      /more than one plugins/,
    ],
    ['CommonJS', `const { defineConfig } = require('vitest/config');\nmodule.exports = defineConfig({ test: {} });\n`, /CommonJS/],
    ['the name taken', `import { defineConfig } from 'vitest/config';\nconst testsift = 1;\nexport default defineConfig({ test: {} });\n`, /already used/],
  ])('does not guess: %s', (_name, text, reason) => {
    const r = addVitestPlugin(text);
    expect(r.kind).toBe('unrecognised');
    expect(r.kind === 'unrecognised' && r.reason).toMatch(reason);
  });
});

describe('the tests.yml starter', () => {
  test.each([
    [['vitest'], ''],
    [['jest'], ''],
    [['vitest', 'jest'], ''],
    [[], ''],
    [['vitest'], 'packages/web'],
  ] as const)('loads without warnings: runners %j, folder %j', async (runners, prefix) => {
    const dir = mkdtempSync(join(tmpdir(), 'testsift-init-yml-'));
    try {
      writeFileSync(join(dir, 'tests.yml'), testsYml([...runners], prefix));
      const config = await loadConfig(join(dir, 'tests.yml'), { root: dir });
      expect(config.warnings).toEqual([]);
      expect(config.mapping).toEqual([]);
      expect(config.fullSuite.unmapped).toBe('full');
      // The built-in full-suite changes are extended, not replaced.
      expect(config.fullSuite.changes).toContain('**/package-lock.json');
      expect(config.tests.length).toBeGreaterThan(0);
      for (const g of config.tests) expect(g.startsWith(prefix ? `${prefix}/` : '')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CI recipes', () => {
  test.each([
    ['github', 'vitest', ''],
    ['github', 'jest', 'packages/api'],
    ['gitlab', 'vitest', ''],
    ['gitlab', 'jest', 'packages/api'],
  ] as const)('%s / %s / folder %j is valid YAML with the README jobs', (kind, runner, dir) => {
    const doc = parse(ciRecipe(kind, runner, dir)) as Record<string, any>;
    const run = runner === 'vitest' ? 'npx vitest run' : 'npx jest';
    const text = JSON.stringify(doc);
    expect(text).toContain('npx detect-tests');
    expect(text).toContain('TESTSIFT_RECORD');
    expect(text).toContain(`${run} --shard=`);
    expect(text).not.toContain('testsift run');
    if (kind === 'github') {
      expect(Object.keys(doc.jobs)).toEqual(['record', 'detect', 'test']);
      expect(doc.jobs.test.steps.at(-1).env).toEqual({ TESTSIFT_SELECT: '.testsift/detect.json', TESTSIFT_TIMINGS: '.testsift/timings.json' });
      expect(doc.jobs.record.steps[3].with.path).toBe(dir ? `${dir}/.testsift` : '.testsift');
    } else {
      expect(Object.keys(doc)).toEqual(['detect-tests', 'testsift-test', 'record-map', 'merge-map']);
      // Stages that exist in every pipeline, so including the file needs no stages: edit.
      expect(doc['detect-tests'].stage).toBe('.pre');
      expect(doc['merge-map'].stage).toBe('.post');
      expect(doc['testsift-test'].script.join('\n')).toContain('TESTSIFT_SELECT=.testsift/detect.json');
      if (dir) expect(doc['record-map'].script[0]).toBe(`cd ${dir}`);
    }
  });
});
