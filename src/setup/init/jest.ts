import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { shownPath, stripCommentLines, type Project } from '../project.js';
import type { InitStep } from './index.js';

/*
 * Jest configs are not edited: they are often built from functions, or JSON in package.json.
 * init prints what to add instead.
 */

const WRAP_COMMENT = `// Adds testsift's reporter (records the map with TESTSIFT_RECORD=1; your coverage settings are
// left alone), the setup file that records what each test file loads and reads, the selection
// filter (TESTSIFT_SELECT) and the time-balanced --shard sequencer (TESTSIFT_TIMINGS). Without
// those variables it changes nothing.`;

const WRAP = `// jest.config.mjs
import { withTestsift } from 'testsift/jest';

${WRAP_COMMENT}
export default withTestsift({
  // …your existing options…
});`;

const WRAP_CJS = `// jest.config.js (CommonJS)
const { withTestsift } = require('testsift/jest');

${WRAP_COMMENT}
module.exports = withTestsift({
  // …your existing options…
});`;

const HOOKS_JSON = `"reporters": ["default", "testsift/jest/reporter"],
"setupFilesAfterEnv": ["testsift/jest/setup"],
"filter": "testsift/jest/filter",
"testSequencer": "testsift/jest/sequencer"`;

const HOOKS_NOTE =
  'Record with TESTSIFT_RECORD=1 npx jest (no --coverage needed). Keep the existing entries of reporters and ' +
  'setupFilesAfterEnv; a testSequencer of your own can stay (sharding is then not balanced by time).';

export function jestAdvice(p: Project): InitStep {
  const places = [...p.jestConfigs.map((c) => shownPath(p, c)), ...(p.jestKey ? [`${shownPath(p, join(p.dir, 'package.json'))} "jest"`] : [])];
  if (places.length > 1) {
    return {
      file: places.join(' + '),
      action: 'manual',
      note: 'Jest refuses to start with more than one config ("Multiple configurations found"): keep one (move the package.json "jest" settings into the config file and delete the key), then wrap it',
      snippet: WRAP,
    };
  }
  const config = p.jestConfigs[0];
  if (config) {
    const file = shownPath(p, config);
    const text = stripCommentLines(readFileSync(config, 'utf8'));
    if (/['"]testsift\/jest(\/[a-z]+)?['"]/.test(text)) return { file, action: 'unchanged', note: 'already names testsift/jest' };
    if (config.endsWith('.json'))
      return { file, action: 'manual', note: 'add the testsift hooks to this JSON config (Jest configs are not edited)', snippet: `${HOOKS_JSON}\n\n${HOOKS_NOTE}` };
    const commonJs = /\bmodule\.exports\b|\brequire\s*\(/.test(text);
    const snippet = commonJs ? WRAP_CJS : WRAP;
    return { file, action: 'manual', note: `wrap the exported config in withTestsift (Jest configs are not edited)${commonJs ? `; ${file} is CommonJS` : ''}`, snippet };
  }
  if (p.jestKey) {
    const file = shownPath(p, join(p.dir, 'package.json'));
    const jest = JSON.stringify((p.packageJson?.data ?? {}).jest ?? {});
    if (/testsift\/jest/.test(jest)) return { file, action: 'unchanged', note: 'its "jest" key already names testsift/jest' };
    return {
      file,
      action: 'manual',
      note: 'Jest is configured by the "jest" key of package.json: add the hooks there, and do not also create a jest.config.* (Jest refuses both: "Multiple configurations found")',
      snippet: `${HOOKS_JSON}\n\n${HOOKS_NOTE}`,
    };
  }
  return { file: 'jest.config.mjs', action: 'manual', note: 'jest is a dependency with no config: create jest.config.mjs', snippet: WRAP };
}
