// Which V8 coverage mode the Jest recorder picks (v8-recorder.cts, compilesWithCompileFunction):
// binary where Jest compiles each test file's modules afresh with vm.compileFunction (Jest 30),
// call counts otherwise. The recorder is CommonJS with `import x = require()`, which the unit
// project cannot load from src/: this reads the build.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const { compilesWithCompileFunction } = createRequire(join(ROOT, 'dist/integrations/jest/v8-recorder.cjs'))('./v8-recorder.cjs') as {
  compilesWithCompileFunction(runtimeSource: string): boolean;
};

const runtimeSource = (dir: string): string => readFileSync(createRequire(join(ROOT, dir, 'package.json')).resolve('jest-runtime'), 'utf8');

describe('V8 coverage mode of the Jest recorder', () => {
  it('knows the installed Jest 30 (compileFunction) from Jest 29 (vm.Script)', () => {
    expect(compilesWithCompileFunction(runtimeSource('node_modules/jest'))).toBe(true);
    expect(compilesWithCompileFunction(runtimeSource('node_modules/jest29'))).toBe(false);
  });

  it("knows Jest 30.1's createScriptFromCode, which already used compileFunction", () => {
    // jest-runtime 30.1.3, build/index.js (ts-pattern's Jest).
    const jest301 = `  createScriptFromCode(scriptSource, filename) {
    const vmContext = this._environment.getVmContext();
    try {
      return (0, _vm().compileFunction)(scriptSource, this.constructInjectedModuleParameters(), {`;
    expect(compilesWithCompileFunction(jest301)).toBe(true);
  });

  it('keeps call counts where it also sees vm.Script, or neither', () => {
    expect(compilesWithCompileFunction('return (0, _vm().compileFunction)(a, b);\nreturn new (_vm().Script)(c);')).toBe(false);
    expect(compilesWithCompileFunction('return new vm.Script(code);')).toBe(false);
    expect(compilesWithCompileFunction('return load(code);')).toBe(false);
  });
});
