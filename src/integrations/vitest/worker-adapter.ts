/**
 * Worker-side differences between Vitest majors, in one place.
 *
 * afterAll listener: `(suite)` up to 4.0; `(context, suite)` from 4.1 (5.x too), where 4.1's
 * fixture parser also insists the first parameter is a destructuring pattern.
 */
export interface FileSuite {
  filepath: string;
  meta: object;
}

type AfterAll = (fn: never, timeout?: number) => void;

function contextFirst(version: string): boolean {
  const [major, minor] = version.split('.').map((n) => Number.parseInt(n, 10));
  if (!Number.isFinite(major)) return true;
  return major > 4 || (major === 4 && (minor ?? 0) >= 1);
}

export function onFileEnd(afterAll: AfterAll, vitestVersion: string, fn: (suite: FileSuite) => Promise<void>): void {
  // Generous timeout: taking coverage of a large worker can exceed the default hook timeout.
  const timeout = 60_000;
  if (contextFirst(vitestVersion)) {
    afterAll((({}: object, suite: FileSuite) => fn(suite)) as never, timeout);
  } else {
    afterAll(((suite: FileSuite) => fn(suite)) as never, timeout);
  }
}
