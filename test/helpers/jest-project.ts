import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MAIN = join(import.meta.dirname, '..', '..');
const NM = join(MAIN, 'node_modules');

/**
 * Link this testsift and the Jest toolchain a TypeScript fixture needs into `root/node_modules`:
 * `jest` is which installed Jest (`jest` = 30, `jest29`), with the babel-jest of that Jest.
 */
export function linkJestToolchain(root: string, jest: 'jest' | 'jest29'): void {
  const link = (name: string, target: string): void => {
    const at = join(root, 'node_modules', name);
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(target, at, 'dir');
  };
  link('testsift', MAIN);
  link('jest', join(NM, jest));
  link('ts-jest', join(NM, 'ts-jest'));
  link('typescript', join(NM, 'typescript'));
  link('babel-jest', jest === 'jest29' ? join(NM, 'jest29', 'node_modules', 'babel-jest') : join(NM, 'babel-jest'));
  link('@babel/preset-env', join(NM, '@babel', 'preset-env'));
  link('@babel/preset-typescript', join(NM, '@babel', 'preset-typescript'));
}
