/**
 * How many cases each property test tries. A few hundred keep `npm test` fast; the long run
 * (`npm run test:property:long`) sets TESTSIFT_FC_RUNS for a deeper search.
 */
export const FC_RUNS = Number(process.env.TESTSIFT_FC_RUNS ?? 200);
