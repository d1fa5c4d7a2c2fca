import { repoRelative } from './root.js';

/** What a Jest `TestContext` offers for walking static requires (29 and 30). */
export interface StaticContextLike {
  hasteFS?: { getDependencies(file: string): string[] | null };
  resolver?: { isCoreModule?(name: string): boolean; resolveModule(from: string, name: string): string };
}

const MAX_FILES = 10_000;

/**
 * The repo files a file reaches through literal requires/imports, itself included, from Jest's
 * own dependency index: the stand-in for coverage when a test file crashed before reporting any.
 * Specifiers that do not resolve (or resolve into node_modules) are skipped; the walk never
 * leaves the root. A computed require cannot be followed, which is why this is only the fallback.
 */
export function staticDependencies(context: StaticContextLike | undefined, file: string, root: string): string[] {
  const hasteFS = context?.hasteFS;
  const resolver = context?.resolver;
  if (!hasteFS || !resolver) return [file];
  const seen = new Set<string>([file]);
  const queue = [file];
  while (queue.length > 0 && seen.size < MAX_FILES) {
    const from = queue.pop()!;
    let names: string[] | null;
    try {
      names = hasteFS.getDependencies(from);
    } catch {
      continue;
    }
    for (const name of names ?? []) {
      if (resolver.isCoreModule?.(name)) continue;
      let dep: string;
      try {
        dep = resolver.resolveModule(from, name);
      } catch {
        continue;
      }
      if (seen.has(dep) || repoRelative(root, dep) === undefined) continue;
      seen.add(dep);
      queue.push(dep);
    }
  }
  return [...seen];
}
