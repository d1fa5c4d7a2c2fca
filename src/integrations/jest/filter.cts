/**
 * CommonJS face of `testsift/jest/filter`: Jest loads `--filter` modules with a plain `require()`
 * and calls what it returns, which an ES module namespace cannot be. The logic lives in filter.ts.
 */
async function testsiftFilter(testPaths: string[]): Promise<unknown> {
  const mod = await import('./filter.js');
  return mod.default(testPaths);
}

export = testsiftFilter;
