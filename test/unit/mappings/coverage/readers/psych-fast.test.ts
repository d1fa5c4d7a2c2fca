import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { readMapRecord } from '../../../../../src/mappings/coverage/index.js';
import { parsePsychExampleDoc } from '../../../../../src/mappings/coverage/readers/psych-fast.js';
import { edgesOf, tempDir } from '../../../../helpers/map-fixtures.js';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => tmp?.cleanup());

/** What the real YAML parser makes of a document, as entries. */
function viaYaml(text: string): Array<[string, string[]]> {
  const data = parse(text) as Record<string, string[] | null>;
  return Object.entries(data).map(([k, v]) => [k, v ?? []]);
}

describe("fast path for Psych's example documents", () => {
  const simple = [
    '"./spec/models/user_spec.rb[1:1]":',
    '- app/models/user.rb',
    '- "app/models/we ird\\u00e9.rb"',
    "'./spec/a_spec.rb[1]':",
    "  - 'lib/it''s.rb'",
    './spec/b_spec.rb[1:2]: []',
    './spec/c_spec.rb[1:3]:',
    '# a comment',
    '',
    './spec/d_spec.rb[2]:',
    '- lib/d.rb',
  ];

  it('agrees with the YAML parser on the shapes Psych writes', () => {
    const fast = parsePsychExampleDoc(simple);
    expect(fast).toBeDefined();
    expect(fast).toEqual(viaYaml(simple.join('\n')));
    expect(fast?.[0][1]).toEqual(['app/models/user.rb', 'app/models/we irdé.rb']);
  });

  it('declines (→ the real parser) anything outside those shapes', () => {
    const declined = [
      ['"./spec/a_spec.rb[1]": &1', '- lib/a.rb', '"./spec/b_spec.rb[1]": *1'],
      ['"./spec/a_spec.rb[1]": [lib/a.rb, lib/b.rb]'],
      ['./spec/a_spec.rb[1]:', '- lib/a.rb # a comment'],
      ['./spec/a_spec.rb[1]:', '- 123'],
      ['./spec/a_spec.rb[1]:', '- true'],
      ['- lib/orphan.rb'],
      ['./spec/a_spec.rb[1]: []', '- lib/after-empty.rb'],
      ['./spec/a_spec.rb[1]:', '- !ruby/object lib/a.rb'],
      ['./spec/a_spec.rb[1]:', '- "bad \\q escape"'],
      // YAML drops a plain key's trailing blanks: a fast read would name another test.
      ['./spec/a_spec.rb[1 :', '- lib/a.rb'],
      ['./spec/a_spec.rb\t:', '- lib/a.rb'],
    ];
    for (const lines of declined) expect(parsePsychExampleDoc(lines), lines.join(' / ')).toBeUndefined();
  });

  it('a map that needs the fallback (anchors, flow lists) reads the same as its plain twin', async () => {
    tmp = tempDir();
    const meta = '---\n:type: Crystalball::ExecutionMap\n:commit: abc123\n:timestamp: 1600000000\n:version:\n---\n';
    writeFileSync(join(tmp.dir, 'plain.yml'), `${meta}"./spec/a_spec.rb[1]":\n- lib/a.rb\n- lib/b.rb\n"./spec/b_spec.rb[1]":\n- lib/a.rb\n- lib/b.rb\n`);
    writeFileSync(join(tmp.dir, 'fancy.yml'), `${meta}"./spec/a_spec.rb[1]": &1\n- lib/a.rb\n- lib/b.rb\n"./spec/b_spec.rb[1]": *1\n`);
    writeFileSync(join(tmp.dir, 'flow.yml'), `${meta}{"./spec/a_spec.rb[1]": [lib/a.rb, lib/b.rb], "./spec/b_spec.rb[1]": [lib/a.rb, lib/b.rb]}\n`);
    const plain = edgesOf(await readMapRecord(join(tmp.dir, 'plain.yml')));
    expect(plain.rows).toEqual({ 'lib/a.rb': ['spec/a_spec.rb', 'spec/b_spec.rb'], 'lib/b.rb': ['spec/a_spec.rb', 'spec/b_spec.rb'] });
    expect(edgesOf(await readMapRecord(join(tmp.dir, 'fancy.yml')))).toEqual(plain);
    expect(edgesOf(await readMapRecord(join(tmp.dir, 'flow.yml')))).toEqual(plain);
  });
});
