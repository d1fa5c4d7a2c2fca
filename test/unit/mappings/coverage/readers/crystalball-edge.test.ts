import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MapError } from '../../../../../src/errors.js';
import { readCrystalballFile } from '../../../../../src/mappings/coverage/readers/crystalball.js';
import { parsePsychExampleDoc } from '../../../../../src/mappings/coverage/readers/psych-fast.js';
import { edgesOf, tempDir } from '../../../../helpers/map-fixtures.js';

// Found by test/property/crystalball.property.test.ts against the yaml package's reading.
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const META = '---\n:type: Crystalball::MapGenerator::StandardExecutionMap\n:commit: abc\n:timestamp: 1700000000\n';

describe('Crystalball edge cases', () => {
  it('an item indented deeper than the one before continues that scalar (YAML), it is not a new item', async () => {
    const doc = ['spec/a_spec.rb[1]:', ' - app/a.rb', '  - b.rb'];
    // The fast path used to read two files, app/a.rb and b.rb; YAML reads one, "app/a.rb - b.rb".
    expect(parsePsychExampleDoc(doc)).toBeUndefined();
    writeFileSync(join(tmp.dir, 'm.yml'), `${META}---\n${doc.join('\n')}\n`);
    const { record } = await readCrystalballFile(join(tmp.dir, 'm.yml'), { root: tmp.dir });
    expect(edgesOf(record).rows).toEqual({ 'app/a.rb - b.rb': ['spec/a_spec.rb'] });
  });

  it('items at one indentation are still the fast path', () => {
    expect(parsePsychExampleDoc(['k[1]:', '  - a.rb', '  - b.rb', 'j:', '- c.rb'])).toEqual([['k[1]', ['a.rb', 'b.rb']], ['j', ['c.rb']]]);
  });

  it('a :timestamp no Date can hold is a MapError naming it (was a RangeError from toISOString)', async () => {
    writeFileSync(join(tmp.dir, 'm.yml'), META.replace('1700000000', '170000001700000000'));
    const err = await readCrystalballFile(join(tmp.dir, 'm.yml')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MapError);
    expect((err as MapError).message).toMatch(/m\.yml:2 \(:timestamp\): expected epoch seconds/);
  });

  it('a plain example id ending in blanks is read as YAML reads it (without them)', async () => {
    // The fast path kept the blank: the test "spec/a_spec.rb[1 " is not the one YAML names.
    writeFileSync(join(tmp.dir, 'm.yml'), `${META}---\nspec/a_spec.rb[1 :\n- app/a.rb\n`);
    const { record } = await readCrystalballFile(join(tmp.dir, 'm.yml'), { root: tmp.dir });
    expect(edgesOf(record).rows).toEqual({ 'app/a.rb': ['spec/a_spec.rb[1'] });
  });

  it('`---` followed by a BOM is not a document marker (YAML separates with a space or a tab)', async () => {
    // `\s` took the BOM as a separator and read the metadata from the marker line; YAML does not.
    writeFileSync(join(tmp.dir, 'm.yml'), META.replace('---\n', '---\uFEFF'));
    const err = await readCrystalballFile(join(tmp.dir, 'm.yml')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MapError);
  });
});
