import { MapError } from '../../../errors.js';
import type { MapRecord } from '../model.js';
import { JsonTokenizer, type JsonTokenKind } from './json-tokenizer.js';
import { readTextChunks } from './input.js';
import { RowCollector } from './row-collector.js';
import { detach, pathNormalizer, type ReadOptions } from './options.js';

/** Hash of `parent/segment` from the parent's hash and the segment's (packed tries). */
function mix(parent: number, segment: number): number {
  return (Math.imul(parent ^ 0x2f, 0x01000193) + Math.imul(segment, 0x5bd1e995)) | 0;
}

export type GitlabJsonFormat = 'gitlab-json' | 'gitlab-packed';

/** tff's own wording (DirectMatching.load_json), so people who know tff recognise it. */
export const TFF_SHAPE_MESSAGE = 'json file should contain a json object, with array of test files as the values';
const PACKED_SHAPE_MESSAGE = 'packed mapping values should be path tries whose leaves are 1';

type State =
  | 'top' | 'key-or-end' | 'key' | 'colon' | 'value' | 'after-value' | 'done'
  | 'arr-first' | 'arr-after' | 'arr-elem'
  | 'trie-key-or-end' | 'trie-key' | 'trie-colon' | 'trie-value' | 'trie-after';

/**
 * Reads a GitLab / tff source → tests JSON map, direct (`{"src": ["spec", …]}`) or packed
 * (`{"src": {"spec": {"a_spec.rb": 1}}}`), gzipped or not, as a token stream into a RowCollector:
 * memory grows with the map, not with the file's text. `expect` pins one shape; 'auto' takes the
 * shape of the first value and then requires it for all (a mix means the file is not what we think).
 */
export class GitlabMapShape {
  private state: State = 'top';
  private source = '';
  private readonly segments: string[] = [];
  /** Per open trie level: the joined path so far and its hash (packed values). */
  private readonly prefixes: string[] = [];
  private readonly prefixHashes: number[] = [];
  private segment = '';
  private segmentHash = 0;
  private shape: GitlabJsonFormat | undefined;
  private readonly norm: (p: string) => string;
  /** Test paths interned by the tokenizer's hash: raw spelling → test id. */
  private readonly tests = new Map<number, { raw: string; id: number }>();

  constructor(
    private readonly tokens: JsonTokenizer,
    private readonly rows: RowCollector,
    expect: GitlabJsonFormat | 'auto',
    opts: ReadOptions,
  ) {
    this.shape = expect === 'auto' ? undefined : expect;
    this.norm = pathNormalizer(opts.root, (path, problem) => {
      // A key is checked while it is read (state key / key-or-end); a test inside a key's value.
      const isKey = this.state === 'key' || this.state === 'key-or-end';
      const loc = { ...this.tokens.location(), ...(isKey ? {} : { key: this.keyLabel() }) };
      throw new MapError(loc, `${isKey ? 'source' : 'test'} path ${JSON.stringify(path)} ${problem}: a map entry must name a file`);
    });
  }

  get format(): GitlabJsonFormat {
    return this.shape ?? 'gitlab-json';
  }

  private shapeError(detail: string): never {
    const msg = this.shape === 'gitlab-packed' ? PACKED_SHAPE_MESSAGE : TFF_SHAPE_MESSAGE;
    throw this.tokens.error(`${msg}: ${detail}`);
  }

  private keyLabel(): string {
    return `key ${JSON.stringify(this.source)}`;
  }

  private describe(kind: JsonTokenKind, value: string): string {
    if (kind === 'string') return `a string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
    if (kind === 'number' || kind === 'literal') return `${value}`;
    return `'${kind}'`;
  }

  private edge(test: string, hash: number): void {
    // The same few thousand test paths repeat millions of times: find them by the hash the
    // tokenizer computed, confirm by comparison; a collision just takes the slower path.
    const hit = this.tests.get(hash);
    let id: number;
    if (hit !== undefined && hit.raw === test) id = hit.id;
    else {
      // norm sees the decoded spelling (detach would turn an unpaired surrogate into U+FFFD).
      id = this.rows.testId(this.norm(test));
      const raw = detach(test);
      if (hit === undefined) this.tests.set(hash, { raw, id });
    }
    this.rows.add(id);
  }

  /**
   * A packed leaf: the test is the open levels' path plus this segment. Found by a hash chained
   * over the segments and confirmed against the stored path in place, so the path string is
   * built only the first time a test is seen.
   */
  private leaf(): void {
    const depth = this.prefixes.length;
    const prefix = depth === 0 ? '' : this.prefixes[depth - 1];
    const seg = this.segment;
    const hash = mix(depth === 0 ? 0 : this.prefixHashes[depth - 1], this.segmentHash);
    const hit = this.tests.get(hash);
    if (hit !== undefined) {
      const raw = hit.raw;
      const same = depth === 0
        ? raw === seg
        : raw.length === prefix.length + 1 + seg.length && raw.charCodeAt(prefix.length) === 0x2f && raw.endsWith(seg) && raw.startsWith(prefix);
      if (same) return this.rows.add(hit.id);
    }
    const full = depth === 0 ? seg : `${prefix}/${seg}`;
    const id = this.rows.testId(this.norm(full));
    const raw = detach(full);
    if (hit === undefined) this.tests.set(hash, { raw, id });
    this.rows.add(id);
  }

  private endValue(): void {
    // A key with no tests (`[]` or `{}`) is known and used by none: "never executed" ≠ "unknown".
    this.rows.endRow(this.source);
    this.state = 'after-value';
  }

  readonly onToken = (kind: JsonTokenKind, value: string, hash: number): void => {
    switch (this.state) {
      case 'top':
        if (kind !== '{') this.shapeError(`the top level is ${this.describe(kind, value)}, not an object`);
        this.state = 'key-or-end';
        return;
      case 'key-or-end':
      case 'key':
        if (kind === 'string') {
          this.source = this.norm(value);
          this.state = 'colon';
          return;
        }
        if (kind === '}' && this.state === 'key-or-end') {
          this.state = 'done';
          return;
        }
        throw this.tokens.error(`expected a source file name (a string key), found ${this.describe(kind, value)}`);
      case 'colon':
        if (kind !== ':') throw this.tokens.error(`expected ':' after ${this.keyLabel()}`);
        this.state = 'value';
        return;
      case 'value':
        if (kind === '[' && this.shape !== 'gitlab-packed') {
          this.shape = 'gitlab-json';
          this.state = 'arr-first';
          return;
        }
        if (kind === '{' && this.shape !== 'gitlab-json') {
          this.shape = 'gitlab-packed';
          this.segments.length = 0;
          this.prefixes.length = 0;
          this.prefixHashes.length = 0;
          this.state = 'trie-key-or-end';
          return;
        }
        this.shapeError(`the value of ${this.keyLabel()} is ${this.describe(kind, value)}`);
      // falls through: shapeError never returns
      case 'arr-first':
      case 'arr-elem':
        if (kind === 'string') {
          this.edge(value, hash);
          this.state = 'arr-after';
          return;
        }
        if (kind === ']' && this.state === 'arr-first') return this.endValue();
        this.shapeError(`${this.keyLabel()} has ${this.describe(kind, value)} in its array`);
      // falls through
      case 'arr-after':
        if (kind === ',') {
          this.state = 'arr-elem';
          return;
        }
        if (kind === ']') return this.endValue();
        throw this.tokens.error(`expected ',' or ']' in the array of ${this.keyLabel()}`);
      case 'trie-key-or-end':
      case 'trie-key':
        if (kind === 'string') {
          this.segment = value;
          this.segmentHash = hash;
          this.state = 'trie-colon';
          return;
        }
        if (kind === '}' && this.state === 'trie-key-or-end') return this.closeTrie();
        throw this.tokens.error(`expected a path segment (a string key) in the value of ${this.keyLabel()}`);
      case 'trie-colon':
        if (kind !== ':') throw this.tokens.error(`expected ':' in the value of ${this.keyLabel()}`);
        this.state = 'trie-value';
        return;
      case 'trie-value':
        if (kind === 'number' && Number(value) === 1) {
          this.leaf();
          this.state = 'trie-after';
          return;
        }
        if (kind === '{') {
          const depth = this.prefixes.length;
          this.prefixes.push(depth === 0 ? this.segment : `${this.prefixes[depth - 1]}/${this.segment}`);
          this.prefixHashes.push(mix(depth === 0 ? 0 : this.prefixHashes[depth - 1], this.segmentHash));
          this.segments.push(this.segment);
          this.state = 'trie-key-or-end';
          return;
        }
        this.shapeError(`${this.keyLabel()} has ${this.describe(kind, value)} at '${[...this.segments, this.segment].join('/')}'`);
      // falls through
      case 'trie-after':
        if (kind === ',') {
          this.state = 'trie-key';
          return;
        }
        if (kind === '}') return this.closeTrie();
        throw this.tokens.error(`expected ',' or '}' in the value of ${this.keyLabel()}`);
      case 'after-value':
        if (kind === ',') {
          this.state = 'key';
          return;
        }
        if (kind === '}') {
          this.state = 'done';
          return;
        }
        throw this.tokens.error(`expected ',' or '}' after the value of ${this.keyLabel()}`);
      case 'done':
        throw this.tokens.error(`unexpected ${this.describe(kind, value)} after the end of the top-level object`);
    }
  };

  private closeTrie(): void {
    if (this.segments.length === 0) return this.endValue();
    this.segments.pop();
    this.prefixes.pop();
    this.prefixHashes.pop();
    this.state = 'trie-after';
  }

  finish(): void {
    if (this.state !== 'done') throw this.tokens.error('unexpected end of file (truncated map?)');
  }
}

/** Decode a direct or packed GitLab JSON map (gzipped or not) into a record, streaming. */
export async function readGitlabJson(path: string, expect: GitlabJsonFormat | 'auto', opts: ReadOptions = {}): Promise<MapRecord> {
  const rows = new RowCollector();
  let shape: GitlabMapShape | undefined;
  const tokens = new JsonTokenizer(path, (k, v, h) => shape!.onToken(k, v, h));
  shape = new GitlabMapShape(tokens, rows, expect, opts);
  for await (const chunk of readTextChunks(path)) tokens.write(chunk);
  tokens.end();
  shape.finish();
  return rows.build({ format: shape.format, granularity: 'file', ...(opts.root ? { root: opts.root } : {}) });
}
