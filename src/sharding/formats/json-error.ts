/**
 * Where JSON text first goes wrong, as a 1-based line. Node 20's JSON.parse often says only
 * "Unexpected token" without a position, and a person fixing a hand-edited report needs the
 * line. A small scan, run only after JSON.parse has already failed.
 *
 * Iterative, with an explicit stack of open containers: a report nested 100,000 levels deep
 * (`[[[[…`) must get its line number, not a stack overflow that the CLI can only show as an
 * unexpected error (exit 1). The stack holds one small number per open bracket.
 */
export function jsonErrorLine(text: string): number {
  const at = firstErrorOffset(text);
  let line = 1;
  for (let i = 0; i < at && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const IN_OBJECT = 0;
const IN_ARRAY = 1;

function firstErrorOffset(text: string): number {
  const n = text.length;
  let i = 0;
  const open: number[] = [];
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  /** A string starting at i (which is `"`); false at the offending offset. */
  const string = (): boolean => {
    i++; // opening quote
    while (i < n && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) return false;
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= n) return false;
    i++;
    return true;
  };
  /** `"key" :` inside an object; false at the offending offset. */
  const key = (): boolean => {
    ws();
    if (text[i] !== '"' || !string()) return false;
    ws();
    if (text[i] !== ':') return false;
    i++;
    return true;
  };
  /** A value that opens no container; false at the offending offset. */
  const scalar = (): boolean => {
    const c = text[i];
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (c === word[0]) {
        if (!text.startsWith(word, i)) return false;
        i += word.length;
        return true;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '') return false;
    i += m[0].length;
    return true;
  };

  for (;;) {
    // A value is expected at i.
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      ws();
      const close = c === '{' ? '}' : ']';
      if (text[i] !== close) {
        open.push(c === '{' ? IN_OBJECT : IN_ARRAY);
        if (c === '{' && !key()) return i;
        continue;
      }
      i++; // an empty container is a complete value
    } else if (!scalar()) return i;
    // A value just ended: close what it ends, or move to the next member.
    for (;;) {
      ws();
      if (open.length === 0) return i < n ? i : n;
      const top = open[open.length - 1];
      if (text[i] === ',') {
        i++;
        if (top === IN_OBJECT && !key()) return i;
        break;
      }
      if (text[i] === (top === IN_OBJECT ? '}' : ']')) {
        i++;
        open.pop();
        continue;
      }
      return i;
    }
  }
}
