import { fileURLToPath } from 'node:url';

/**
 * ES module face of `testsift/jest/setup`. Jest runs setup files inside its own module registry,
 * where an ES module needs --experimental-vm-modules, so the working setup file is the CommonJS
 * `setup.cjs` beside this one; this module names it for configs that import it:
 * `setupFilesAfterEnv: [setupFile]`.
 */
export const setupFile = fileURLToPath(new URL('./setup.cjs', import.meta.url));
