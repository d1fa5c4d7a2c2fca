/**
 * What counts as a usable recorded duration. A timing report is written by machines that can be
 * wrong (a clock jump, a runner bug, a hand edit): `1.79e308` is a finite double, but it turns
 * every sum it reaches into Infinity, and then shard seconds print as `null` and the imbalance as
 * `NaN%`. No test file takes longer than a CI job may run, so anything above MAX_SECONDS is a
 * recording error, not a time.
 */

/**
 * 10,000,000 s ≈ 115.7 days: far above any CI job limit (GitLab's longest is a month, GitHub's
 * 35 days for a workflow) yet small enough that a million such files still sum to a finite,
 * exactly printable number (1e13 s).
 */
export const MAX_SECONDS = 1e7;

/** A usable recorded time: a finite number of seconds in 0…MAX_SECONDS. */
export function isSeconds(v: unknown): v is number {
  return typeof v === 'number' && v >= 0 && v <= MAX_SECONDS;
}

/** Why a number is no usable duration (undefined when it is one), for a per-entry warning. */
export function durationProblem(v: number): string | undefined {
  if (Number.isNaN(v)) return 'is not a number';
  if (v === Infinity || v === -Infinity) return 'is infinite (too large for a double)';
  if (v < 0) return 'is negative';
  if (v > MAX_SECONDS) return `is more than ${MAX_SECONDS} s (~115 days), not a plausible time`;
  return undefined;
}
