import { parseAllDocuments } from 'yaml';
import { addRow, RefError, refNormalize, type RefRows } from './paths.js';

/** `./spec/a_spec.rb[1:2]` → `./spec/a_spec.rb` (before the first `[`, when the id ends in `]`). */
function specOf(id: string): string {
  const m = /^([^[]*)\[.*\]$/s.exec(id);
  return m ? m[1] : id;
}

/**
 * Strict reference reading of a Crystalball execution map with the `yaml` package's own
 * multi-document parser (any YAML error refuses; repeated keys allowed, as Psych allows them):
 * a metadata mapping with a `:type` ending in ExecutionMap and a valid `:timestamp`, then
 * documents of example id → list of used files (or null); inverted to used file → spec files.
 */
export function refCrystalball(text: string, root: string): RefRows {
  // YAML's line breaks are LF, CRLF and a lone CR (Psych and the reader's line splitter agree;
  // the yaml package keeps a lone CR as content).
  const docs = parseAllDocuments(text.replace(/\r\n?/g, '\n'), { uniqueKeys: false, maxAliasCount: 100_000 });
  if (!Array.isArray(docs)) throw new RefError('not a YAML stream');
  const values: unknown[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new RefError(`YAML: ${d.errors[0].message.split('\n')[0]}`);
    try {
      values.push(d.toJS({ maxAliasCount: 100_000 }));
    } catch (err) {
      throw new RefError(`YAML: ${(err as Error).message}`); // e.g. an alias to no anchor
    }
  }
  // Documents holding nothing (only comments, or an empty `---`) carry no examples.
  const [meta, ...examples] = values;
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(meta) || typeof meta[':type'] !== 'string' || !/ExecutionMap$/.test(meta[':type'])) throw new RefError('no Crystalball metadata');
  const ts = meta[':timestamp'];
  if (ts !== undefined && ts !== null && !(typeof ts === 'number' && Number.isFinite(ts)) && !(typeof ts === 'string' && Number.isFinite(Date.parse(ts)))) {
    throw new RefError('bad :timestamp');
  }
  const rows: RefRows = new Map();
  for (const doc of examples) {
    if (doc === null || doc === undefined) continue;
    if (!isMap(doc)) throw new RefError('an examples document is not a mapping');
    for (const [id, files] of Object.entries(doc)) {
      if (files === null) {
        refNormalize(root, specOf(id));
        continue;
      }
      if (!Array.isArray(files) || files.some((f) => typeof f !== 'string')) throw new RefError(`bad files of ${id}`);
      const spec = refNormalize(root, specOf(id));
      for (const f of files as string[]) addRow(rows, refNormalize(root, f), [spec]);
    }
  }
  return rows;
}
