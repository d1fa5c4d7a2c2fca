#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles the two bins (testsift, detect-tests) from dist/
// into dist/bin/, our modules and our dependencies' together, split per command so each command
// still loads only its own code. Why: a CLI process pays for every module it loads, and on Node
// 20 loading detect's ~150 separate files (yaml alone is 70, simple-git 12) cost more CPU than
// all of detect's work at GitLab scale (see the README's performance section). The library
// entry points (`testsift`, `testsift/vitest`, `testsift/jest`) stay tsc's plain modules.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(root, 'dist/bin');
rmSync(outdir, { recursive: true, force: true });

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const result = await build({
  entryPoints: { testsift: join(root, 'dist/cli/bin/testsift.js'), 'detect-tests': join(root, 'dist/cli/bin/detect-tests.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: `node${pkg.engines.node.replace(/[^0-9.]/g, '')}`,
  // CommonJS dependencies (yaml, simple-git, picomatch) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __testsiftCreateRequire } from 'node:module';\nconst require = __testsiftCreateRequire(import.meta.url);" },
  // Bins and chunks sit at the same depth as tsc's dist/cli/*.js, so a module's
  // `new URL('../../package.json', import.meta.url)` still finds our package.json.
  chunkNames: '[name]-[hash]',
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});

// The bundle carries copies of our dependencies' code: ship their licence texts with it.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
  if (m) packages.set(m[2], join(root, m[1]));
}
const notices = [...packages].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, dir]) => {
  const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  const text = file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : `(${license}; no licence file in the package)`;
  return `${name}@${version} (${license})\n\n${text}\n`;
});
writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), `Packages bundled into testsift's command-line tools:\n\n${notices.join('\n---\n\n')}`);
