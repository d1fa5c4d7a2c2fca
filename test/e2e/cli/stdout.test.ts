// The CLI writes its output to fd 1 directly (cli/stdout.ts). Whatever the descriptor does — short
// writes, EAGAIN on a full non-blocking pipe, EPIPE when the reader left — the output must stay
// whole and in order, or stop quietly when nobody reads it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { fdWriter } from '../../../src/cli/stdout.js';
import { BIN } from '../../helpers/cli.js';

const errno = (code: string) => Object.assign(new Error(code), { code });

function collecting(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('fdWriter', () => {
  it('writes every byte through short writes, multi-byte characters included', () => {
    const got: Buffer[] = [];
    const write = (_fd: number, b: Uint8Array, off: number, len: number) => {
      const n = Math.min(len, 3);
      got.push(Buffer.from(b.subarray(off, off + n)));
      return n;
    };
    const out = fdWriter(
      1,
      () => {
        throw new Error('stream not needed');
      },
      write,
    );
    out('spec/ä_spec.rb\n');
    out('spec/😀.rb\n');
    expect(Buffer.concat(got).toString('utf8')).toBe('spec/ä_spec.rb\nspec/😀.rb\n');
  });

  it('on EAGAIN hands the rest and everything after it to the stream, in order', () => {
    const direct: Buffer[] = [];
    let calls = 0;
    const write = (_fd: number, b: Uint8Array, off: number, len: number) => {
      if (++calls > 1) throw errno('EAGAIN');
      const n = Math.min(len, 5);
      direct.push(Buffer.from(b.subarray(off, off + n)));
      return n;
    };
    const c = collecting();
    const out = fdWriter(1, () => c.stream, write);
    out('first line\n');
    out('second line\n');
    expect(calls).toBe(2); // the stream took over for good
    expect(Buffer.concat(direct).toString() + c.text()).toBe('first line\nsecond line\n');
  });

  it('stops quietly on EPIPE and rethrows anything else', () => {
    let calls = 0;
    const out = fdWriter(
      1,
      () => {
        throw new Error('no stream');
      },
      () => {
        calls++;
        throw errno('EPIPE');
      },
    );
    out('a\n');
    out('b\n');
    expect(calls).toBe(1);
    const failing = fdWriter(
      1,
      () => {
        throw new Error('no stream');
      },
      () => {
        throw errno('EIO');
      },
    );
    expect(() => failing('x')).toThrow('EIO');
  });
});

describe('the CLI on real pipes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'testsift-stdout-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const paths = Array.from({ length: 20_000 }, (_, i) => `spec/f${i}_spec.rb`);
  writeFileSync(join(dir, 'tests.txt'), paths.join('\n') + '\n');
  const shard = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} shard --timings missing.json --allow-missing-timings --tests tests.txt --total 1 --index 1`;

  it('a full non-blocking pipe (stderr shares it and made it non-blocking) still gets all 600 kB, in order', () => {
    // The warning about missing.json goes to stderr first; Node makes that pipe non-blocking, and
    // 2>&1 shares it with stdout, whose reader sleeps: the direct write meets EAGAIN.
    const out = execFileSync('sh', ['-c', `{ ${shard} 2>&1; echo "exit=$?"; } | (sleep 1; cat)`], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toContain('warning: ignoring timing report');
    expect(lines.at(-1)).toBe('exit=0');
    // stderr's lines (the warnings, the shard's digest line) come first: stdout is all paths.
    const body = lines.slice(0, -1).filter((l) => !l.startsWith('testsift '));
    expect(body.sort()).toEqual([...paths].sort());
  });

  it('a reader that leaves early (| head) ends the output without an error', () => {
    const r = spawnSync('sh', ['-c', `{ ${shard} 2>/dev/null; echo "exit=$?" >&2; } | head -n 2`], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(r.stderr.trim()).toBe('exit=0');
  });
});
