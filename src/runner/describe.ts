import type { RunPlan } from './plan-run.js';

type SpawnPlan = Extract<RunPlan, { action: 'spawn' }>;

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `--dry-run`: what would run, one `key: value` line each, so people and scripts can read it. */
export function describePlan(plan: SpawnPlan): string {
  const lines = [`cwd: ${plan.cwd}`, `command: ${plan.command.map(shellWord).join(' ')}`];
  for (const [k, v] of Object.entries(plan.set)) lines.push(`set: ${k}=${shellWord(v)}`);
  for (const f of plan.files) lines.push(`set: ${f.env}=<temporary file ${f.name}>`);
  for (const k of plan.unset) lines.push(`unset: ${k}`);
  for (const f of plan.files)
    lines.push(
      `file ${f.name}: ${f.content
        .trimEnd()
        .split('\n')
        .join('\nfile ' + f.name + ': ')}`,
    );
  return `${lines.join('\n')}\n`;
}

/** The command for the log: long file lists shortened (the dry run shows them all). */
export function shortCommand(command: readonly string[], max = 12): string {
  const words = command.map(shellWord);
  return words.length <= max ? words.join(' ') : `${words.slice(0, max).join(' ')} … (${words.length - max} more)`;
}
