/** One line of `testsift doctor`: what was checked, what it found, how to fix it. */
export type CheckStatus = 'ok' | 'warn' | 'FAIL' | 'info';

export interface CheckResult {
  /** Which check: plugin, config, map, universe, gitignore, timings, ci. */
  check: string;
  status: CheckStatus;
  /** What was found, in one sentence. */
  message: string;
  /** A command or a config line that fixes it (warn and FAIL). */
  fix?: string;
  /** Further lines (e.g. the files only one side lists). */
  details?: string[];
}

export const ok = (check: string, message: string, details?: string[]): CheckResult => ({ check, status: 'ok', message, ...(details?.length ? { details } : {}) });
export const warn = (check: string, message: string, fix?: string, details?: string[]): CheckResult => ({
  check,
  status: 'warn',
  message,
  ...(fix ? { fix } : {}),
  ...(details?.length ? { details } : {}),
});
export const fail = (check: string, message: string, fix?: string, details?: string[]): CheckResult => ({
  check,
  status: 'FAIL',
  message,
  ...(fix ? { fix } : {}),
  ...(details?.length ? { details } : {}),
});
export const info = (check: string, message: string, details?: string[]): CheckResult => ({ check, status: 'info', message, ...(details?.length ? { details } : {}) });
