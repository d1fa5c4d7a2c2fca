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
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * An incremental JSON tokenizer: text arrives in chunks of any size (a token may straddle two)
 * and tokens go to a sink, so a 130 MB map is never held as one string. It knows line and
 * column of the current token for error messages. Newlines can only occur between tokens in
 * valid JSON, so counting them while skipping whitespace is enough.
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
      if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
        const end = this.wordEnd(final);
        if (end < 0) return;
        const text = buf.slice(this.pos, end);
        if (!NUMBER.test(text)) throw this.error(`invalid number '${text}'`);
        this.pos = end;
        this.sink('number', text, 0);
        continue;
      }
      if (c >= 0x61 && c <= 0x7a) {
        const end = this.wordEnd(final);
        if (end < 0) return;
        const text = buf.slice(this.pos, end);
        if (text !== 'true' && text !== 'false' && text !== 'null') throw this.error(`unexpected '${text}'`);
        this.pos = end;
        this.sink('literal', text, 0);
        continue;
      }
      throw this.error(`unexpected character ${JSON.stringify(buf[this.pos])}`);
    }
    if (final && this.pos < len) throw this.error('unexpected end of file');
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
    const start = this.pos + 1;
    const close = buf.indexOf('"', start);
    if (close < 0 && buf.indexOf('\\', start) < 0) {
      if (final) throw this.error('unterminated string (file truncated?)');
      return undefined;
    }
    // Fast path: no escape before the closing quote (almost every path in a map). Look for one
    // only inside the string: searching the rest of a 1 MB chunk per string would be quadratic.
    if (close >= 0) {
      let i = start;
      let h = 0;
      for (; i < close; i++) {
        const c = buf.charCodeAt(i);
        if (c === 0x5c) break;
        h = (Math.imul(h, 31) + c) | 0;
      }
      if (i === close) {
        this.pos = close + 1;
        this.hash = h;
        return buf.slice(start, close);
      }
    }
    let out = '';
    let i = start;
    while (i < buf.length) {
      const c = buf[i];
      if (c === '"') {
        this.pos = i + 1;
        this.hash = stringHash(out);
        return out;
      }
      if (c !== '\\') {
        const next = Math.min(...[buf.indexOf('"', i), buf.indexOf('\\', i)].filter((x) => x >= 0), buf.length);
        out += buf.slice(i, next);
        i = next;
        continue;
      }
      if (i + 1 >= buf.length) break;
      const e = buf[i + 1];
      if (e === 'u') {
        if (i + 6 > buf.length) break;
        const hex = buf.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error(`invalid escape '\\u${hex}' in string`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const decoded = ESCAPES[e];
      if (decoded === undefined) throw this.error(`invalid escape '\\${e}' in string`);
      out += decoded;
      i += 2;
    }
    if (final) throw this.error('unterminated string (file truncated?)');
    return undefined;
  }
}
