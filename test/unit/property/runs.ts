import fc from 'fast-check';

/**
 * How many cases each property test tries. A few hundred keep `npm test` fast; the long run
 * (`npm run test:property:long`) sets TESTSIFT_FC_RUNS for a deeper search.
 */
export const FC_RUNS = Number(process.env.TESTSIFT_FC_RUNS ?? 200);

/**
 * `npm test` explores the same cases on every run (a fixed seed), so CI's verdict does not change
 * with the draw; the long run draws new cases each time unless TESTSIFT_FC_SEED fixes them (a
 * failure prints its seed: set it here to replay the counterexample).
 */
const seed = process.env.TESTSIFT_FC_SEED ?? (process.env.TESTSIFT_FC_RUNS ? undefined : '20261207');
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number(seed) });
