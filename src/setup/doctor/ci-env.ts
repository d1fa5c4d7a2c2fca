import { info, type CheckResult } from './types.js';

/** The CI variables testsift reads (base, labels, shards), in the order a reader looks for them. */
const CI_VARIABLES = [
  'CI',
  'GITLAB_CI',
  'GITHUB_ACTIONS',
  'CI_MERGE_REQUEST_DIFF_BASE_SHA',
  'CI_MERGE_REQUEST_TARGET_BRANCH_NAME',
  'CI_MERGE_REQUEST_LABELS',
  'GITHUB_BASE_REF',
  'GITHUB_EVENT_PATH',
  'CI_NODE_INDEX',
  'CI_NODE_TOTAL',
];

/** Values of these are never printed (a token set for the map download, say). */
const SECRET = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH/i;

/** Which CI variables this process sees: information, never a problem (a local run has none). */
export function ciEnvCheck(env: Record<string, string | undefined>): CheckResult {
  const names = [
    ...CI_VARIABLES,
    ...Object.keys(env)
      .filter((k) => k.startsWith('TESTSIFT_'))
      .sort(),
  ];
  const set = names.filter((k) => env[k] !== undefined);
  if (set.length === 0) return info('ci', 'no CI variable testsift reads is set (a local run)');
  const shown = set.map((k) => (SECRET.test(k) ? `${k}=(set, hidden)` : `${k}=${JSON.stringify(env[k])}`));
  return info('ci', `${set.length} CI variable(s) set: ${set.join(', ')}`, shown);
}
