import type { MappingRule } from '../../config/types.js';
import type { FileIndex } from '../../util/files.js';

/** One tests.yml hit: changed `source` path → existing `test` file, through `rule`. */
export interface StaticMatch {
  source: string;
  test: string;
  rule: MappingRule;
  /** The template that produced the test (after substitution). */
  template: string;
}

/** Stub: the static-mapping stage implements this (tff semantics, DESIGN §2.1). */
export function matchStatic(_rules: readonly MappingRule[], _paths: readonly string[], _files: FileIndex): StaticMatch[] {
  throw new Error('matchStatic: not implemented yet');
}
