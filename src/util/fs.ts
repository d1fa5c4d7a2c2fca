import { promises as fsp, mkdirSync, renameSync, writeFileSync, existsSync, statSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { InputError } from '../errors.js';

let tempCount = 0;
/**
 * A name no other writer uses: the pid tells processes apart, the counter this process's writes.
 * The random part only guards against a leftover of an earlier process with the same pid. Not
 * node:crypto: loading it costs a CLI run ~5 ms, most of which never writes a file.
 */
function tempPathFor(path: string): string {
  const unique = `${process.pid}.${++tempCount}.${Math.floor(Math.random() * 0xffffffff).toString(16)}`;
  return join(dirname(path), `.${basename(path)}.${unique}.tmp`);
}

/**
 * Output paths come from flags (`--output`, `--list-output`, …): a path that cannot be written is
 * the user's input to fix (exit 2), named with what is wrong, not a stack trace. Other failures
 * (a full disk) stay unexpected.
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

function writeError(path: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const problem = code === undefined ? undefined : WRITE_PROBLEMS[code];
  return problem ? new InputError({ file: path }, `cannot write the file here: ${problem} (${code})`, { cause: err }) : err;
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
 * Write a file atomically: write a temp file beside it, then rename over the target, so a reader
 * (or a crash) never sees half a file and a failed write leaves the old content intact. A path
 * that cannot be written is an InputError naming it; the temp file never outlives a failure.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  if (isDirectory(path)) throw writeError(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  try {
    await fsp.mkdir(dirname(path), { recursive: true });
  } catch (err) {
    throw writeError(path, err);
  }
  const tmp = tempPathFor(path);
  try {
    await fsp.writeFile(tmp, data);
    await fsp.rename(tmp, path);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw writeError(path, err);
  }
}

/** Synchronous twin of {@link writeFileAtomic}, for exit hooks that cannot await. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  if (isDirectory(path)) throw writeError(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw writeError(path, err);
  }
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw writeError(path, err);
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export { existsSync };
