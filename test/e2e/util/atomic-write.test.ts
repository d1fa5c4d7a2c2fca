/**
 * Atomic writes (src/util/fs.ts): the temp file is fsynced before the rename (so a crash never
 * leaves an empty or half file under the real name), a temp file a killed writer left is
 * removed by the next write of the same file, and a full disk names the file it could not write.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs, { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { STALE_TEMP_MS, writeFileAtomic, writeFileAtomicSync } from '../../../src/util/fs.js';
import { BIN } from '../../helpers/cli.js';

const DIST_FS = fileURLToPath(new URL('../../../dist/util/fs.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'testsift-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function freshDir(name: string): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** A pid that no process has right now: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

const temps = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.tmp'))
    .sort();

describe('fsync before rename', () => {
  it('async: the temp file is synced, then renamed, then the folder synced', async () => {
    const dir = freshDir('order-async');
    const calls: string[] = [];
    const handle = await fs.promises.open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(handle) as { sync(): Promise<void> };
    await handle.close();
    const realSync = proto.sync;
    vi.spyOn(proto, 'sync').mockImplementation(function (this: unknown) {
      calls.push('sync temp');
      return realSync.call(this);
    });
    const realRename = fs.promises.rename;
    vi.spyOn(fs.promises, 'rename').mockImplementation((a, b) => {
      calls.push('rename');
      return realRename(a, b);
    });
    const realFsync = fs.fsyncSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      calls.push('sync folder');
      realFsync(fd);
    });
    await writeFileAtomic(join(dir, 'out.json'), '{"a":1}\n');
    expect(calls).toEqual(['sync temp', 'rename', 'sync folder']);
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('{"a":1}\n');
  });

  it('sync twin: the same order', () => {
    const dir = freshDir('order-sync');
    const calls: string[] = [];
    const realFsync = fs.fsyncSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      calls.push(fs.fstatSync(fd).isDirectory() ? 'sync folder' : 'sync temp');
      realFsync(fd);
    });
    const realRename = fs.renameSync;
    vi.spyOn(fs, 'renameSync').mockImplementation((a, b) => {
      calls.push('rename');
      realRename(a, b);
    });
    writeFileAtomicSync(join(dir, 'out.json'), 'x\n');
    expect(calls).toEqual(['sync temp', 'rename', 'sync folder']);
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('x\n');
  });
});

describe('temp files a killed writer left', () => {
  it('are removed by the next write of the same file: dead pid, or older than the limit; live, fresh and other files kept', async () => {
    const dir = freshDir('stale');
    const dead = deadPid();
    const live = process.ppid;
    const full = Buffer.alloc(256 * 1024, 1);
    writeFileSync(join(dir, `.out.json.${dead}.1.abc.tmp`), full);
    writeFileSync(join(dir, `.out.json.${live}.3.def.tmp`), full);
    writeFileSync(join(dir, `.out.json.${live}.4.f00.tmp`), full);
    const old = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    utimesSync(join(dir, `.out.json.${live}.4.f00.tmp`), old, old);
    writeFileSync(join(dir, `.other.json.${dead}.1.abc.tmp`), full);
    await writeFileAtomic(join(dir, 'out.json'), '{}\n');
    expect(temps(dir)).toEqual([`.other.json.${dead}.1.abc.tmp`, `.out.json.${live}.3.def.tmp`]);
    writeFileAtomicSync(join(dir, 'other.json'), '{}\n');
    expect(temps(dir)).toEqual([`.out.json.${live}.3.def.tmp`]);
  });

  it('a process killed between write and rename: its full-size temp goes at the next write (real CLI)', async () => {
    const dir = freshDir('killed');
    const target = join(dir, 'timings.json');
    // The writer hangs where a kill would hurt most: the temp written in full, not yet renamed.
    const script = `
      import fs from 'node:fs';
      fs.promises.rename = () => new Promise(() => {});
      const { writeFileAtomic } = await import(${JSON.stringify(pathToFileURL(DIST_FS).href)});
      writeFileAtomic(${JSON.stringify(target)}, Buffer.alloc(1 << 20, 65));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    let leftover: string[] = [];
    while (Date.now() < deadline) {
      leftover = temps(dir).filter((n) => statSync(join(dir, n)).size === 1 << 20);
      if (leftover.length === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(leftover).toHaveLength(1);
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(temps(dir)).toEqual(leftover);

    writeFileSync(join(dir, 'in.json'), '{"a.test.ts": 1}\n');
    execFileSync(process.execPath, [BIN, 'timings', 'merge', join(dir, 'in.json'), '--output', target]);
    expect(temps(dir)).toEqual([]);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ 'a.test.ts': 1 });
  });
});

describe('a write the system refuses names the file', () => {
  /** A report big enough to pass any small limit. */
  function bigReport(dir: string): string {
    const report: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) report[`test/t${i}.test.ts`] = i / 10;
    writeFileSync(join(dir, 'in.json'), JSON.stringify(report));
    return join(dir, 'in.json');
  }

  it('a file size limit (EFBIG under ulimit -f): exit 1 naming the output, no temp left, old content intact', () => {
    const dir = freshDir('efbig');
    const input = bigReport(dir);
    const out = join(dir, 'merged.json');
    writeFileSync(out, '{"old": 1}\n');
    const r = spawnSync('sh', ['-c', 'ulimit -f 8; exec "$0" "$@"', process.execPath, BIN, 'timings', 'merge', input, '--output', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toBe(
      `testsift: ${out}: cannot write the file: file too large (a file size limit, ulimit -f, or the file system) (EFBIG); the previous content, if any, is intact\n`,
    );
    expect(temps(dir)).toEqual([]);
    expect(readFileSync(out, 'utf8')).toBe('{"old": 1}\n');
  });

  // A real full disk: a 64 KiB tmpfs in a user namespace (skipped where those are not allowed).
  const canMount = spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs ${JSON.stringify(tmpdir())}`]).status === 0;
  it.skipIf(!canMount)('a full disk (ENOSPC): exit 1 naming the output', () => {
    const dir = freshDir('enospc');
    const input = bigReport(dir);
    const small = join(dir, 'small');
    mkdirSync(small);
    const script = `mount -t tmpfs -o size=64k tmpfs "$1" && cd "$1" && "$2" "$3" timings merge "$4" --output "$1/merged.json"; echo "exit=$?"; ls -a "$1"`;
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', small, process.execPath, BIN, input], { encoding: 'utf8' });
    expect(r.stderr).toBe(`testsift: ${join(small, 'merged.json')}: cannot write the file: no space left on device (ENOSPC); the previous content, if any, is intact\n`);
    expect(r.stdout).toContain('exit=1');
    expect(r.stdout.split('\n').filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
