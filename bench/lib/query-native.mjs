// The selection hot path without the CLI: open the native map, union the rows of the changed
// files as integer ids, decode the names once, print them. The floor `detect` can approach.
// Usage: node query-native.mjs DIST_DIR MAP CHANGED_LIST
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, mapPath, changedPath] = process.argv.slice(2);
const { openNativeMap } = await import(pathToFileURL(join(dist, 'mappings/coverage/native/index.js')).href);
const changed = readFileSync(changedPath, 'utf8').split('\n').filter(Boolean);
const map = openNativeMap(mapPath);
const names = map.testNamesOf(map.unionTestIds(changed));
process.stdout.write(names.join('\n') + '\n');
