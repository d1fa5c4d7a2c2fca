import type { MappingRule } from '../../config/types.js';

/** tff's built-in mapping, used by `testsift tff` when no -f / --json is given. */
export const DEFAULT_RAILS_MAPPING: readonly MappingRule[] = Object.freeze(
  [
    ['app/(.+)\\.rb', 'spec/%s_spec.rb'],
    ['lib/(.+)\\.rb', 'spec/lib/%s_spec.rb'],
    ['spec/(.+)_spec\\.rb', 'spec/%s_spec.rb'],
  ].map(([source, test], index) => ({
    sources: [source!],
    tests: [test!],
    file: '(tff default rails mapping)',
    line: 0,
    index,
  })),
);
