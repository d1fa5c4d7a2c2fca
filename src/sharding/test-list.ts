import { InputError } from '../errors.js';
import { isCommentLine } from '../util/list-text.js';
import { testKey } from './path-key.js';

export interface TestList {
  tests: string[];
  /** `detect`'s mode when the input was its JSON; in `full` mode the list is the whole universe. */
  mode?: 'selective' | 'full';
}

/**
 * The tests to shard, as `--tests` gives them: `detect --format json` output (its `tests`
 * array), a NUL-separated list (`detect -z`, `git ls-files -z`: entries verbatim, the only way
 * to pass a path with a line break), or a plain list, one path a line. In a plain list blank
 * lines and comment lines (`# ` — see isCommentLine) are skipped, so `shard --format list`
 * output (with its `# shard i/N` headers) reads back; `#a.test.js` is a path, not a comment.
 */
export function parseTestList(file: string, text: string): TestList {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trimStart().startsWith('{')) return parseDetectJson(file, body);
  if (body.includes('\0'))
    return {
      tests: body
        .split('\0')
        .filter((p) => p.length > 0)
        .map(testKey),
    };
  const tests: string[] = [];
  for (const raw of body.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || isCommentLine(line)) continue;
    tests.push(testKey(line));
  }
  return { tests };
}

function parseDetectJson(file: string, text: string): TestList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError({ file }, `invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  const obj = json as { tests?: unknown; mode?: unknown };
  if (!Array.isArray(obj.tests) || !obj.tests.every((t) => typeof t === 'string')) {
    throw new InputError({ file, key: 'tests' }, "expected detect's JSON with a `tests` array of paths");
  }
  const mode = obj.mode === 'full' || obj.mode === 'selective' ? obj.mode : undefined;
  return { tests: (obj.tests as string[]).map(testKey), mode };
}
