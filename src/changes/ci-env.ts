import { readFileSync } from 'node:fs';
import { pushAll } from '../util/arrays.js';

export type Env = Record<string, string | undefined>;

function envValue(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** Where a default base came from, for messages. */
export interface BaseCandidate {
  /** Refs to try in order; the first that resolves is used. */
  refs: string[];
  /** The CI variable that chose them, or undefined for the built-in fallbacks. */
  from?: string;
}

/**
 * The diff base when `--base` is absent, from CI variables:
 * GitLab merge requests `CI_MERGE_REQUEST_DIFF_BASE_SHA` (the exact sha GitLab diffs against),
 * else `CI_MERGE_REQUEST_TARGET_BRANCH_NAME` → `origin/<name>` then `<name>`; GitHub pull
 * requests `GITHUB_BASE_REF` → `origin/<ref>` then `<ref>`; otherwise the usual default branches.
 */
export function baseCandidates(env: Env): BaseCandidate {
  const sha = envValue(env, 'CI_MERGE_REQUEST_DIFF_BASE_SHA');
  if (sha) return { refs: [sha], from: 'CI_MERGE_REQUEST_DIFF_BASE_SHA' };
  const target = envValue(env, 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME');
  if (target) return { refs: [`origin/${target}`, target], from: 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME' };
  const ghBase = envValue(env, 'GITHUB_BASE_REF');
  if (ghBase) return { refs: [`origin/${ghBase}`, ghBase], from: 'GITHUB_BASE_REF' };
  return { refs: ['origin/HEAD', 'origin/main', 'origin/master', 'main', 'master'] };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Pull request labels from the GitHub event payload (`pull_request.labels[].name`). The payload
 * is CI-provided, not user input: an unreadable one is a warning, never an error.
 */
function githubEventLabels(path: string, warnings: string[]): string[] {
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    warnings.push(`could not read pull request labels from GITHUB_EVENT_PATH ${path}: ${(err as Error).message}`);
    return [];
  }
  const labels = (event as { pull_request?: { labels?: unknown } } | null)?.pull_request?.labels;
  if (!Array.isArray(labels)) return [];
  return labels
    .map((l) => (l && typeof l === 'object' ? (l as { name?: unknown }).name : undefined))
    .filter((n): n is string => typeof n === 'string' && n.trim().length > 0)
    .map((n) => n.trim());
}

/**
 * Labels for this change: the caller's, then GitLab's `CI_MERGE_REQUEST_LABELS`, GitHub's pull
 * request labels, and `TESTSIFT_LABELS` (both comma-separated); first spelling wins, no repeats.
 */
export function collectLabels(given: readonly string[] | undefined, env: Env, warnings: string[]): string[] {
  const all = [...(given ?? []).map((l) => l.trim()), ...splitList(env['CI_MERGE_REQUEST_LABELS'])];
  const eventPath = envValue(env, 'GITHUB_EVENT_PATH');
  if (eventPath) pushAll(all, githubEventLabels(eventPath, warnings));
  pushAll(all, splitList(env['TESTSIFT_LABELS']));
  return [...new Set(all.filter((l) => l.length > 0))];
}
