/** `testsift shard verify --help` (kept apart so `shard --help` does not load the verifier). */
export const VERIFY_FAILED_EXIT = 3;

export const verifyHelp = `Usage: testsift shard verify (--plan FILE | --tests FILE|-) [--root DIR] REPORT…

Prove that every selected test file ran exactly once across the jobs of a sharded run: run it
in a final CI stage over every job's test report. It catches what no single job can see: jobs
that split the tests differently (a timing report one job lost, another plan), a job that died
or was skipped; there a test runs in no job, or in two, while every job is green.

  --plan FILE       The shard plan the jobs used (testsift shard --write-plan, detect-tests
                    --shards N): its tests are the selected ones; a missing test is named with
                    the shard that should have run it.
  --tests FILE|-    Or the selected tests: detect's JSON (its "tests") or one path a line.
  --root DIR        What relative names in the reports are relative to (a runner's root, e.g.
                    a Vitest root in a subfolder; default: the current directory). Absolute
                    names are made relative to the current directory; names from another
                    checkout folder are matched by their longest suffix that is a selected test.
  REPORT…           One report per job (or several): JUnit XML (Vitest, Jest with jest-junit,
                    rspec_junit_formatter, pytest) or the JSON of jest --json / vitest
                    --reporter=json. Told apart by content.

A file counts once per report however many test cases it has. Files the reports name that
were not selected are listed as extra work, not an error.

Exit codes: 0 every selected test ran exactly once; ${VERIFY_FAILED_EXIT} some ran in no report or in
more than one (both listed); 2 bad usage or an unreadable plan, list or report (named, with
its line); 1 unexpected failure.
`;
