import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, gunzipSync, constants as zlibConstants } from 'node:zlib';
import { MapError } from '../../../errors.js';

/** gzip streams start with these two bytes, whatever the file is called. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Wrap a filesystem error as a MapError naming the file (the policy shows it as a reason). */
export function mapIoError(path: string, err: unknown): MapError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new MapError({ file: path }, 'map file not found', { cause: err });
  if (code === 'EISDIR') return new MapError({ file: path }, 'expected a file, found a directory', { cause: err });
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
    return new MapError({ file: path }, `corrupt gzip data (${(err as Error).message})`, { cause: err });
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new MapError({ file: path }, `cannot read map: ${msg}`, { cause: err });
}

/** The first `bytes` bytes of a file (fewer if it is shorter): one read, for format sniffing. */
export async function readHead(path: string, bytes: number): Promise<Buffer> {
  // Synchronous: a few kB read once per map, and fs/promises (with the modules it pulls in) was
  // the only reason detect loaded it.
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(bytes);
    const bytesRead = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } catch (err) {
    throw mapIoError(path, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Decompress as much of a gzip prefix as there is: a sync flush makes zlib return the bytes it
 * could decode instead of failing on the truncated end, which is all sniffing needs.
 */
export function gunzipHead(head: Uint8Array): Buffer {
  try {
    return gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * The text of a (possibly gzipped) file as a stream of string chunks, decoded as UTF-8 across
 * chunk boundaries, so big maps never become one whole-file string.
 */
export async function* readTextChunks(path: string, chunkSize = 1 << 20): AsyncGenerator<string> {
  const head = await readHead(path, 2);
  const raw = createReadStream(path, { highWaterMark: chunkSize });
  const stream = isGzip(head) ? raw.pipe(createGunzip({ chunkSize })) : raw;
  if (stream !== raw) raw.on('error', (err) => stream.destroy(err));
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of stream) {
      const text = decoder.write(chunk as Buffer);
      if (text.length > 0) yield text;
    }
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  } catch (err) {
    throw mapIoError(path, err);
  } finally {
    raw.destroy();
  }
}

/** The whole (possibly gzipped) text of a small file, e.g. one per-test istanbul JSON. */
export async function readSmallText(path: string): Promise<string> {
  let parts = '';
  for await (const chunk of readTextChunks(path)) parts += chunk;
  return parts;
}
