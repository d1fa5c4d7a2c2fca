import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Debian's `chromium` package (installed by .ci/run). */
export const CHROMIUM = process.env.TESTSIFT_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const CHROMIUM_MISSING = `headless Chromium not found at ${CHROMIUM}: the browser test of the HTML report is skipped. Install it with 'apt-get install -y chromium' (Debian) or point TESTSIFT_CHROMIUM at a Chromium binary.`;

/**
 * Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3
 * in, fd 4 out, NUL-terminated JSON): no WebSocket client and no dependency. Records every
 * network request the page makes, so a test can prove a page fetched nothing.
 */
export class Browser {
  readonly requests: string[] = [];
  private readonly child: ChildProcess;
  private readonly profile: string;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly waiters: Array<{ method: string; resolve: () => void }> = [];
  private session = '';

  private constructor() {
    this.profile = mkdtempSync(join(tmpdir(), 'testsift-chromium-'));
    this.child = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Any host name resolves nowhere: were the page to fetch, it would fail and be recorded.
        '--host-resolver-rules=MAP * ~NOTFOUND',
        '--remote-debugging-pipe',
        `--user-data-dir=${this.profile}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    let buf = Buffer.alloc(0);
    (this.child.stdio[4] as Readable).on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (let i = buf.indexOf(0); i >= 0; i = buf.indexOf(0)) {
        this.onMessage(JSON.parse(buf.subarray(0, i).toString('utf8')));
        buf = buf.subarray(i + 1);
      }
    });
    this.child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('chromium exited'));
    });
  }

  static async launch(): Promise<Browser> {
    const b = new Browser();
    const { targetId } = await b.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await b.send('Target.attachToTarget', { targetId, flatten: true });
    b.session = sessionId;
    await b.send('Page.enable');
    await b.send('Network.enable');
    await b.send('Emulation.setDeviceMetricsOverride', { width: 1200, height: 900, deviceScaleFactor: 1, mobile: false });
    return b;
  }

  private onMessage(m: { id?: number; method?: string; params?: any; result?: any; error?: { message: string } }): void {
    if (m.id !== undefined) {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error.message));
      else p?.resolve(m.result);
      return;
    }
    if (m.method === 'Network.requestWillBeSent') this.requests.push(m.params.request.url);
    for (const w of this.waiters.filter((x) => x.method === m.method)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  }

  /** A DevTools command (on the page's session unless it is a Target/Browser one). */
  send(method: string, params: Record<string, unknown> = {}): Promise<any> {
    const id = ++this.nextId;
    const browserLevel = /^(Target|Browser)\./.test(method);
    const msg = { id, method, params, ...(browserLevel ? {} : { sessionId: this.session }) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      (this.child.stdio[3] as Writable).write(`${JSON.stringify(msg)}\0`);
    });
  }

  /**
   * Load a URL and wait for its load event (scripts have run). Always a fresh load: going from
   * a page to the same page with another #fragment would only scroll, with no load event.
   */
  async open(url: string): Promise<void> {
    if (url !== 'about:blank') await this.open('about:blank');
    let timer: NodeJS.Timeout | undefined;
    const loaded = new Promise<void>((resolve, reject) => {
      this.waiters.push({ method: 'Page.loadEventFired', resolve });
      timer = setTimeout(() => reject(new Error(`chromium: no load event for ${url} within 20 s`)), 20_000);
    });
    try {
      await this.send('Page.navigate', { url });
      await loaded;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Evaluate an expression in the page; its value (JSON-serialisable). */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send('Runtime.evaluate', { expression, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`page threw: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  async screenshot(): Promise<Buffer> {
    const r = await this.send('Page.captureScreenshot', { format: 'png' });
    return Buffer.from(r.data, 'base64');
  }

  async close(): Promise<void> {
    await this.send('Browser.close').catch(() => undefined);
    if (this.child.exitCode === null) await new Promise((r) => this.child.once('exit', r));
    rmSync(this.profile, { recursive: true, force: true });
  }
}
