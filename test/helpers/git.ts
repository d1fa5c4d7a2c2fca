import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real git repository in a temp dir, for tests. */
export class TempRepo {
  readonly root: string;
  constructor(prefix = 'testsift-') {
    this.root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'test@testsift.invalid');
    this.git('config', 'user.name', 'testsift test');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  write(files: Record<string, string>): this {
    for (const [p, content] of Object.entries(files)) {
      const abs = join(this.root, p);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
    return this;
  }

  remove(...paths: string[]): this {
    for (const p of paths) rmSync(join(this.root, p), { force: true, recursive: true });
    return this;
  }

  /** Stage everything and commit; returns the new HEAD sha. */
  commit(message = 'change'): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
