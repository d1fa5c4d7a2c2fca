import type { Runner } from '../project.js';
import { githubInstallSteps, installCommand, type PackageManager } from './package-manager.js';

/*
 * CI recipes: the README's "GitHub Actions" and "GitLab CI" examples, for this project's runner
 * and folder. The map and timings are recorded on the default branch and handed to merge-request
 * pipelines; without them detect runs the full suite with the reason, never a wrong selection.
 */

export type CiKind = 'github' | 'gitlab';

/** Where each recipe goes, repo-relative. GitLab's is a file to `include:` (their .gitlab-ci.yml is not edited). */
export const CI_RECIPE_PATH: Record<CiKind, string> = {
  github: '.github/workflows/testsift.yml',
  // Under .gitlab/ci/: the built-in full_suite.changes covers that folder, so a change to the
  // recipe runs every test (a file at the top level would not be covered).
  gitlab: '.gitlab/ci/testsift.gitlab-ci.yml',
};

const RUN: Record<Runner, string> = { vitest: 'npx vitest run', jest: 'npx jest' };

/** `dir`: the project's folder in the repository ('' at the top); `pm`: what installs it (its lockfile's manager). */
export function ciRecipe(kind: CiKind, runner: Runner, dir: string, pm: PackageManager = 'npm'): string {
  return kind === 'github' ? github(runner, dir, pm) : gitlab(runner, dir, pm);
}

function github(runner: Runner, dir: string, pm: PackageManager): string {
  const ts = dir ? `${dir}/.testsift` : '.testsift';
  const run = RUN[runner];
  const install = githubInstallSteps(pm);
  const defaults = dir ? `\ndefaults:\n  run: { working-directory: ${dir} }   # the project's folder (the install too: adjust for workspaces)\n` : '';
  return `# testsift (written by \`testsift init\`): record the coverage map and timings on main, run only
# the tests a pull request needs on pull requests, split over 4 jobs by recorded time.
# actions/download-artifact only sees the current run, so the map goes through the cache:
# caches saved on the default branch are readable by pull requests.
name: testsift

on:
  push: { branches: [main] }                 # record the map
  pull_request:                              # select from it
${defaults}
jobs:
  record:                                    # on main: the full suite, recording map + timings
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${install}
      - run: ${run}
        env: { TESTSIFT_RECORD: '1' }
      - uses: actions/cache/save@v4           # also when a test failed: the map is still right
        if: always()
        with: { path: ${ts}, key: 'testsift-map-\${{ github.sha }}' }

  detect:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: { fetch-depth: 0 }
${install}
      - uses: actions/cache/restore@v4       # the map of the PR's base commit, else main's newest
        with:
          path: ${ts}
          key: testsift-map-\${{ github.event.pull_request.base.sha }}
          restore-keys: testsift-map-
      - run: npx detect-tests                # base from GITHUB_BASE_REF; no map => the full suite, with the reason
      - uses: actions/upload-artifact@v4     # within this run, so the test jobs can download it
        with:
          name: selection
          path: |
            ${ts}/detect.json
            ${ts}/timings.json

  test:
    needs: detect
    runs-on: ubuntu-latest
    strategy: { matrix: { shard: [1, 2, 3, 4] } }
    steps:
      - uses: actions/checkout@v4
${install}
      - uses: actions/download-artifact@v4
        with: { name: selection, path: ${ts} }
      - run: ${run} --shard=\${{ matrix.shard }}/4 --passWithNoTests
        env: { TESTSIFT_SELECT: .testsift/detect.json, TESTSIFT_TIMINGS: .testsift/timings.json }
`;
}

function gitlab(runner: Runner, dir: string, pm: PackageManager): string {
  const ts = dir ? `${dir}/.testsift` : '.testsift';
  const run = RUN[runner];
  const cd = dir ? `\n    - cd ${dir}` : '';
  return `# testsift (written by \`testsift init\`): record the coverage map and timings on the default
# branch, run only the tests a merge request needs, split over 4 jobs by recorded time.
# Use it from your .gitlab-ci.yml:
#   include:
#     - local: ${CI_RECIPE_PATH.gitlab}
# Stages: .pre and .post always exist; a "test" stage must (it is in GitLab's default stages).
# Jobs run npx: your image or default before_script installs dependencies (${installCommand(pm)}).

detect-tests:
  stage: .pre
  script:${cd}
    - |
      # main's newest map and timings (the merge-map job below, in main's last green pipeline).
      # JOB-TOKEN needs Premium/Ultimate; on Free send "PRIVATE-TOKEN: $TESTSIFT_API_TOKEN",
      # a masked variable holding a project access token with read_api.
      mkdir -p .testsift
      for f in map.json timings.json; do
        curl --fail --silent --show-error --location --output ".testsift/$f" \\
          --header "JOB-TOKEN: $CI_JOB_TOKEN" \\
          "$CI_API_V4_URL/projects/$CI_PROJECT_ID/jobs/artifacts/$CI_DEFAULT_BRANCH/raw/${ts}/$f?job=merge-map" \\
          || { rm -f ".testsift/$f"; echo "no $f from $CI_DEFAULT_BRANCH: the full suite runs, with the reason"; }
      done
    - npx detect-tests                        # base from CI_MERGE_REQUEST_DIFF_BASE_SHA, labels from CI_MERGE_REQUEST_LABELS
  artifacts:
    paths: [${ts}/detect.json, ${ts}/tests.txt, ${ts}/timings.json]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"

testsift-test:
  stage: test
  needs: [detect-tests]
  parallel: 4
  script:${cd}
    - TESTSIFT_SELECT=.testsift/detect.json TESTSIFT_TIMINGS=.testsift/timings.json
      ${run} --shard=$CI_NODE_INDEX/$CI_NODE_TOTAL --passWithNoTests
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"

record-map:                                    # on the default branch: the full suite, recording partial maps
  stage: test
  parallel: 4
  script:${cd}
    - TESTSIFT_RECORD=1 ${run} --shard=$CI_NODE_INDEX/$CI_NODE_TOTAL
  artifacts: { paths: [${ts}/] }
  rules: [{ if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH }]

merge-map:                                     # one map + timings, downloaded by detect-tests
  stage: .post
  needs: [record-map]
  script:${cd}
    - npx testsift map merge .testsift/map.shard-*.json --output .testsift/map.json
    - npx testsift timings merge .testsift/timings.shard-*.json --output .testsift/timings.json
  artifacts: { paths: [${ts}/map.json, ${ts}/timings.json], expire_in: 30 days }
  rules: [{ if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH }]
`;
}
