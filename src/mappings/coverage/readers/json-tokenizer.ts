import { MapError } from '../../../errors.js';

export type JsonTokenKind = '{' | '}' | '[' | ']' | ':' | ',' | 'string' | 'number' | 'literal';

/**
 * Receives each token; `value` is the decoded string, the number's text, or the literal.
 * For strings, `hash` is a 32-bit hash of the decoded value (see {@link stringHash}), computed
 * while scanning anyway, so a consumer can intern repeated strings with an integer-keyed table:
 * looking up a freshly sliced string in a string-keyed Map costs a full re-hash each time.
 */
export type TokenSink = (kind: JsonTokenKind, value: string, hash: number) => void;

/** The hash the tokenizer reports for a string token. */
export function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * What is wrong with the text of a string that JSON.parse refused: the first invalid escape or raw
 * control character (only called on that error path).
 */
function stringProblem(raw: string): string {
  const re = /\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])|(\\u[^]{0,4}|\\[^]?|[\x00-\x1f])/g;
  for (const m of raw.matchAll(re)) {
    const bad = m[1];
    if (bad === undefined) continue;
    if (bad.startsWith('\\')) return `invalid escape '${bad}' in string`;
    return `control character ${JSON.stringify(bad)} in a string (JSON needs it escaped)`;
  }
  return 'invalid string';
}

/**
 * An incremental JSON tokenizer: text arrives in chunks of any size (a token may straddle two)
 * and tokens go to a sink, so a 130 MB map is never held as one string. It knows line and
 * column of the current token for error messages. Newlines can only occur between tokens in
 * valid JSON, so counting them while skipping whitespace is enough.
 *
 * Linear in the text, however long a token: a string or word cut by the end of a chunk keeps
 * what was read of it (decoded, with its hash so far) and resumes where it stopped, instead of
 * re-reading it from its start once the next chunk is joined on (a 4 MB key in 64 kB chunks was
 * read 64 times), and an escape never searches ahead for the closing quote (a string with many
 * escapes made each one scan to the string's end: a 4 MB key took ~290 s).
 */
export class JsonTokenizer {
  private buf = '';
  private pos = 0;
  /** Absolute offset of buf[0] in the whole text. */
  private base = 0;
  private line = 1;
  private lineStart = 0;
  private tokenLine = 1;
  private tokenColumn = 1;
  /** stringHash of the last string read. */
  private hash = 0;
  /** A string cut by the end of the chunk: its raw text so far (see readEscaped). */
  private partString: { pieces: string[]; odd: boolean } | undefined;
  /** A number or literal cut by the end of the chunk: its text so far. */
  private partWord: string | undefined;

  constructor(
    private readonly file: string,
    private readonly sink: TokenSink,
  ) {}

  /** Where the token being delivered starts (1-based), for the sink's error messages. */
  location(): { file: string; line: number; column: number } {
    return { file: this.file, line: this.tokenLine, column: this.tokenColumn };
  }

  error(problem: string): MapError {
    return new MapError(this.location(), problem);
  }

  write(chunk: string): void {
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + chunk : chunk;
    this.base += this.pos;
    this.pos = 0;
    this.scan(false);
  }

  /** The text is complete: anything left unfinished is a truncated file. */
  end(): void {
    this.scan(true);
  }

  private mark(): void {
    this.tokenLine = this.line;
    this.tokenColumn = this.base + this.pos - this.lineStart + 1;
  }

  private scan(final: boolean): void {
    const buf = this.buf;
    const len = buf.length;
    if (this.partString !== undefined) {
      const { pieces, odd } = this.partString;
      this.partString = undefined;
      const s = this.readEscaped(this.pos, pieces, odd, final);
      if (s === undefined) return;
      this.sink('string', s, this.hash);
    } else if (this.partWord !== undefined) {
      const end = this.wordEnd(final);
      const text = this.partWord + buf.slice(this.pos, end < 0 ? len : end);
      if (end < 0) {
        this.partWord = text;
        this.pos = len;
        return;
      }
      this.partWord = undefined;
      this.pos = end;
      this.word(text);
    }
    while (this.pos < len) {
      const c = buf.charCodeAt(this.pos);
      switch (c) {
        case 0x20: case 0x09: case 0x0d:
          this.pos++;
          continue;
        case 0x0a:
          this.pos++;
          this.line++;
          this.lineStart = this.base + this.pos;
          continue;
        case 0x7b: case 0x7d: case 0x5b: case 0x5d: case 0x3a: case 0x2c:
          this.mark();
          this.pos++;
          this.sink(buf[this.pos - 1] as JsonTokenKind, '', 0);
          continue;
        case 0x22: {
          this.mark();
          const s = this.readString(final);
          if (s === undefined) return;
          this.sink('string', s, this.hash);
          continue;
        }
        case 0xfeff:
          if (this.base + this.pos === 0) {
            this.pos++;
            continue;
          }
          break;
      }
      this.mark();
      if (c === 0x2d || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)) {
        const end = this.wordEnd(final);
        if (end < 0) {
          this.partWord = buf.slice(this.pos);
          this.pos = len;
          return;
        }
        const text = buf.slice(this.pos, end);
        this.pos = end;
        this.word(text);
        continue;
      }
      throw this.error(`unexpected character ${JSON.stringify(buf[this.pos])}`);
    }
  }

  /** A whole number or literal. */
  private word(text: string): void {
    const c = text.charCodeAt(0);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (!NUMBER.test(text)) throw this.error(`invalid number '${text}'`);
      this.sink('number', text, 0);
      return;
    }
    if (text !== 'true' && text !== 'false' && text !== 'null') throw this.error(`unexpected '${text}'`);
    this.sink('literal', text, 0);
  }

  /** End of a number or literal, or -1 when it may continue in the next chunk. */
  private wordEnd(final: boolean): number {
    const buf = this.buf;
    let i = this.pos;
    while (i < buf.length) {
      const c = buf.charCodeAt(i);
      const wordChar = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2b || c === 0x2d || c === 0x2e;
      if (!wordChar) return i;
      i++;
    }
    if (final) return i;
    return -1;
  }

  /** Decode the string starting at pos (a quote); undefined when it continues in the next chunk. */
  private readString(final: boolean): string | undefined {
    const buf = this.buf;
    const len = buf.length;
    const start = this.pos + 1;
    // Fast path: no escape before the closing quote (almost every path in a map): one pass that
    // hashes as it goes. Below 0x5d only the quote, the backslash and control characters (which
    // JSON does not allow raw in a string) stop it, so most path characters cost one comparison.
    let h = 0;
    let i = start;
    for (; i < len; i++) {
      const c = buf.charCodeAt(i);
      if (c < 0x5d && (c === 0x22 || c === 0x5c || c < 0x20)) break;
      h = (Math.imul(h, 31) + c) | 0;
    }
    if (i < len && buf.charCodeAt(i) === 0x22) {
      this.pos = i + 1;
      this.hash = h;
      return buf.slice(start, i);
    }
    return this.readEscaped(start, [], false, final);
  }

  /**
   * A string with escapes (or cut by the chunk's end) from `from` on, after the raw `pieces` of
   * earlier chunks (`odd`: they end in an odd run of backslashes, escaping this chunk's first
   * character). The closing quote is the first one after an even run of backslashes, found with
   * indexOf; the raw text is then decoded by JSON.parse itself (exactly JSON's escapes and its
   * refusal of raw control characters, at native speed). Every character is looked at a bounded
   * number of times, so this is linear however long the string or how many escapes it has.
   */
  private readEscaped(from: number, pieces: string[], odd: boolean, final: boolean): string | undefined {
    const buf = this.buf;
    let j = from;
    for (;;) {
      const q = buf.indexOf('"', j);
      if (q < 0) break;
      let k = q;
      while (k > from && buf.charCodeAt(k - 1) === 0x5c) k--;
      const escaped = ((q - k) & 1) === 1 !== (k === from && odd);
      if (escaped) {
        j = q + 1;
        continue;
      }
      pieces.push(buf.slice(from, q));
      const raw = pieces.length === 1 ? pieces[0] : pieces.join('');
      let s: string;
      try {
        s = JSON.parse(`"${raw}"`) as string;
      } catch {
        throw this.error(stringProblem(raw));
      }
      this.pos = q + 1;
      this.hash = stringHash(s);
      return s;
    }
    if (final) throw this.error('unterminated string (file truncated?)');
    // Keep this chunk's part and whether a backslash at its end escapes the next chunk's start.
    const len = buf.length;
    let k = len;
    while (k > from && buf.charCodeAt(k - 1) === 0x5c) k--;
    pieces.push(buf.slice(from, len));
    this.partString = { pieces, odd: ((len - k) & 1) === 1 !== (k === from && odd) };
    this.pos = len;
    return undefined;
  }
}
