// The selection hot path without the CLI: open the native map, union the rows of the changed
// files as integer ids, decode the names once, print them. The floor `detect` can approach.
import { readFileSync } from 'node:fs';
import { openNativeMap } from '../../dist/mappings/coverage/native/index.js';

const [mapPath, changedPath] = process.argv.slice(2);
const changed = readFileSync(changedPath, 'utf8').split('\n').filter(Boolean);
const map = openNativeMap(mapPath);
const names = map.testNamesOf(map.unionTestIds(changed));
process.stdout.write(names.join('\n') + '\n');
