import { writeSync } from 'node:fs';

type WriteSync = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/**
 * The CLI's standard output: text goes to the file descriptor with write(2) directly. Why: at
 * GitLab scale detect prints 1.5 MB of paths, and through process.stdout (a stream, set up on
 * first use) that cost ~5 ms more CPU on a pipe than writing the bytes ourselves.
 *
 * A descriptor that would block (EAGAIN: a non-blocking pipe that is full) hands the rest, and
 * everything after it, to `stream`, which waits for the reader, so output stays whole and in
 * order. A reader that went away (EPIPE, as with `| head`) ends the output quietly, like git.
 */
export function fdWriter(fd: number, stream: () => NodeJS.WritableStream, write: WriteSync = writeSync): (text: string) => void {
  let state: 'direct' | 'stream' | 'closed' = 'direct';
  return (text) => {
    if (state === 'closed') return;
    if (state === 'stream') {
      stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    try {
      while (done < bytes.length) done += write(fd, bytes, done, bytes.length - done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        state = 'closed';
        return;
      }
      if (code !== 'EAGAIN') throw err;
      state = 'stream';
      stream().write(bytes.subarray(done));
    }
  };
}
