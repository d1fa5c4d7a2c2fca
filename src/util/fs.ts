import fs, { existsSync, statSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { InputError, WriteError } from '../errors.js';
import { checkOutputLocation } from './output-location.js';

// `fs.x` through the default export, not named imports: the tests spy on fsync and rename to
// check their order (nothing else can show that a crash would not leave an empty file).

let tempCount = 0;
/** The temp files of this process not yet renamed or removed: never taken for stale ones. */
const ownTemps = new Set<string>();

/**
 * A name no other writer uses: the pid tells processes apart, the counter this process's writes.
 * The random part only guards against a leftover of an earlier process with the same pid. Not
 * node:crypto: loading it costs a CLI run ~5 ms, most of which never writes a file.
 * `.<name>.<pid>.<n>.<hex>.tmp`: the pid lets a later write tell a killed writer's leftover.
 */
function tempPathFor(path: string): string {
  const unique = `${process.pid}.${++tempCount}.${Math.floor(Math.random() * 0xffffffff).toString(16)}`;
  return join(dirname(path), `.${basename(path)}.${unique}.tmp`);
}

/** A leftover older than this is stale even when its pid is alive (pids are reused: containers restart at 1). */
export const STALE_TEMP_MS = 15 * 60_000;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove what a killed writer of `path` left behind: temp files of `path` whose process is gone,
 * of this process but not in use, or older than {@link STALE_TEMP_MS}. A process killed between
 * write and rename leaves a full-size temp that nothing else would ever remove. Best effort: a
 * temp that cannot be listed or removed is left, it never fails the write.
 */
export function removeStaleTemps(path: string, now = Date.now()): string[] {
  const dir = dirname(path);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.(\\d+)\\.\\d+\\.[0-9a-f]+\\.tmp$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const tmp = join(dir, name);
    if (ownTemps.has(tmp)) continue;
    const pid = Number(m[1]);
    let stale = pid === process.pid || !pidAlive(pid);
    if (!stale) {
      try {
        stale = now - fs.lstatSync(tmp).mtimeMs > STALE_TEMP_MS;
      } catch {
        continue;
      }
    }
    if (!stale) continue;
    try {
      fs.rmSync(tmp, { force: true });
      removed.push(tmp);
    } catch {
      // Another writer removed it, or we may not: either way not this write's problem.
    }
  }
  return removed;
}

/**
 * Output paths come from flags (`--output`, `--list-output`, …): a path that cannot be written is
 * the user's input to fix (exit 2), named with what is wrong, not a stack trace. Other failures
 * (a full disk) are a WriteError (exit 1) that still names the path.
 */
const WRITE_PROBLEMS: Record<string, string> = {
  EISDIR: 'it is a directory; give a file path',
  ENOTDIR: 'a parent of it is a file, not a folder',
  EEXIST: 'a parent of it is a file, not a folder',
  ENOENT: 'its folder does not exist and could not be created',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long',
};

const SYSTEM_PROBLEMS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large (a file size limit, ulimit -f, or the file system)',
  EIO: 'input/output error',
};

function writeError(path: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return err;
  const problem = WRITE_PROBLEMS[code];
  if (problem) return new InputError({ file: path }, `cannot write the file here: ${problem} (${code})`, { cause: err });
  const system = SYSTEM_PROBLEMS[code] ?? (err as Error).message;
  return new WriteError(path, `cannot write the file: ${system} (${code}); the previous content, if any, is intact`, { cause: err });
}

/** A directory at the target is found before any temp file is written, so none is left over. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * After a rename, the directory entry is durable only once the directory is synced. Best effort:
 * some systems (Windows, some network file systems) cannot open or sync a directory, and the
 * data itself is already on disk by then.
 */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // not supported here
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function prepare(path: string): string {
  checkOutputLocation(path);
  if (isDirectory(path)) throw writeError(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  try {
    fs.mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw writeError(path, err);
  }
  removeStaleTemps(path);
  const tmp = tempPathFor(path);
  ownTemps.add(tmp);
  return tmp;
}

/**
 * Write a file atomically: write a temp file beside it, fsync it, then rename over the target,
 * so a reader (or a crash, even a power loss) never sees half a file or an empty one, and a
 * failed write leaves the old content intact. A path that cannot be written is an InputError
 * naming it, a full disk a WriteError naming it; the temp file never outlives a failure, and
 * one a killed process left behind is removed by the next write of the same file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = prepare(path);
  try {
    const handle = await fs.promises.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, path);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw writeError(path, err);
  } finally {
    ownTemps.delete(tmp);
  }
  syncDirectory(dirname(path));
}

/** Synchronous twin of {@link writeFileAtomic}, for exit hooks that cannot await. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = prepare(path);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw writeError(path, err);
  } finally {
    ownTemps.delete(tmp);
  }
  syncDirectory(dirname(path));
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export { existsSync };
