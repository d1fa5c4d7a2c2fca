import type { ChangeSet } from '../changes/types.js';
import type { Config } from '../config/types.js';
import type { SelectionMode } from '../selection/types.js';
import { configChangeReasons, coreFileReasons, labelReasons, unmappedReasons } from './rules.js';

export interface PolicyInput {
  config: Config;
  /** The change under test: labels and core-file rules judge it. */
  changes: ChangeSet;
  /**
   * The change plus files changed since the map was recorded: every one of them must be
   * explained, or the map cannot say what they need.
   */
  effective: ChangeSet;
  /** Changed files some strategy accounts for. */
  explained: ReadonlySet<string>;
  isTest(path: string): boolean;
  /**
   * The configuration files detect read (or looked for), repo-relative: a change to one of them
   * forces the full suite. Optional for callers that read no file.
   */
  configFiles?: readonly string[];
  /** Reasons found before the policy ran: map missing/corrupt/stale, strategy problems, errors. */
  reasons: readonly string[];
}

export interface PolicyDecision {
  mode: SelectionMode;
  reasons: string[];
  /** Changed files no strategy explains (they forced `full` unless `unmapped: ignore`). */
  unmapped: string[];
  /** Changed files under `ignore` that need no tests. */
  ignored: string[];
}

/** The full-suite rules: every rule that fires adds its reason; any reason means `full`. */
export function decideMode(input: PolicyInput): PolicyDecision {
  const { config, changes } = input;
  const unmapped = unmappedReasons(config, input.effective, input.explained, input.isTest);
  const reasons = [
    ...changes.fullSuiteReasons,
    ...configChangeReasons(input.configFiles ?? [], changes),
    ...labelReasons(config, changes),
    ...coreFileReasons(config, changes),
    ...input.reasons,
    ...unmapped.reasons,
  ];
  return { mode: reasons.length > 0 ? 'full' : 'selective', reasons, unmapped: unmapped.unmapped, ignored: unmapped.ignored };
}
