/**
 * matchStatic on GitLab's real tests.yml files (/work/shared/data/real/mappings), over temp trees
 * holding the relevant spec files. Every expectation was derived by reading the rule by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/config/index.js';
import type { Config } from '../../../../src/config/types.js';
import { matchStatic, testsOf } from '../../../../src/mappings/static/index.js';
import { createFileIndex } from '../../../../src/util/files.js';
import { makeTree, removeTrees } from '../../../helpers/tree.js';

const REAL = '/work/shared/data/real/mappings';
const CURRENT = 'gitlabhq__gitlabhq__tests.yml__017a6c12.yml';
const OLD_POSITIONAL = 'mehulagg__gitlab__tests.yml__3ef60cb6.yml';

const TREE = [
  // models
  'spec/models/foo_spec.rb',
  'ee/spec/models/foo_spec.rb',
  'spec/models/every_model_spec.rb',
  'spec/lib/gitlab/import_export/model_configuration_spec.rb',
  // EE extension of a FOSS model
  'spec/models/user_spec.rb',
  'ee/spec/models/user_spec.rb',
  'ee/spec/models/ee/user_spec.rb',
  // factories
  'spec/models/users_spec.rb',
  // migrations
  'spec/migrations/add_foo_spec.rb',
  'spec/migrations/20240101000000_add_foo_spec.rb',
  'spec/db/schema_spec.rb',
  // hooks glob
  'spec/lib/api/hooks/foo_spec.rb',
  'spec/requests/api/hooks_spec.rb',
  'spec/requests/api/project_hooks_spec.rb',
  'spec/requests/api/users_spec.rb',
  'spec/requests/api/v3/system_hooks_spec.rb',
  'spec/requests/api/.hidden/hook_spec.rb',
  'ee/spec/requests/api/group_hooks_spec.rb',
  'spec/features/hook_spec.rb',
  // sidebars glob
  'ee/spec/features/navbar_spec.rb',
  'ee/spec/features/groups/sidebar_spec.rb',
  'ee/spec/features/groups/other_spec.rb',
  'spec/features/navbar_spec.rb',
  'ee/spec/lib/sidebars/x_spec.rb',
  // views (old positional file)
  'spec/views/projects/show.html.haml_spec.rb',
  'spec/lib/gitlab/foo_spec.rb',
  'spec/tooling/lib/x_spec.rb',
];

let root: string;
let current: Config;
let old: Config;
const select = (config: Config, ...changed: string[]): string[] => testsOf(matchStatic(config.mapping, changed, createFileIndex(root)));

beforeAll(async () => {
  root = makeTree(TREE);
  current = await loadConfig(CURRENT, { root: REAL });
  old = await loadConfig(OLD_POSITIONAL, { root: REAL });
});
afterAll(removeTrees);

describe("GitLab's current tests.yml (named captures)", () => {
  it('ee/app/models/foo.rb → the EE spec only (prefix ee/), plus the catch-all model specs', () => {
    expect(select(current, 'ee/app/models/foo.rb')).toEqual([
      'ee/spec/models/foo_spec.rb',
      'spec/lib/gitlab/import_export/model_configuration_spec.rb',
      'spec/models/every_model_spec.rb',
    ]);
  });

  it('app/models/foo.rb → the optional (?<prefix>ee/)? did not participate, so %{prefix} is ""', () => {
    expect(select(current, 'app/models/foo.rb')).toEqual([
      'spec/lib/gitlab/import_export/model_configuration_spec.rb',
      'spec/models/every_model_spec.rb',
      'spec/models/foo_spec.rb',
    ]);
  });

  it('an EE extension maps to its own spec and to both class specs', () => {
    expect(select(current, 'ee/app/models/ee/user.rb')).toEqual([
      'ee/spec/models/ee/user_spec.rb', // rule 1: ee/ + spec/ + models/ee/user
      'ee/spec/models/user_spec.rb', // EE extension rule, second template
      'spec/lib/gitlab/import_export/model_configuration_spec.rb',
      'spec/models/every_model_spec.rb',
      'spec/models/user_spec.rb', // EE extension rule, first template
    ]);
  });

  it('the factories rule: 2 sources × 4 templates (plural and singular model names)', () => {
    // ee/ factory: source 1 gives model=users, source 2 model=user; prefix=ee/.
    expect(select(current, 'ee/spec/factories/users.rb')).toEqual([
      'ee/spec/models/ee/user_spec.rb',
      'ee/spec/models/user_spec.rb',
      'spec/models/user_spec.rb',
      'spec/models/users_spec.rb',
    ]);
    // FOSS factory: prefix="" so ee/spec/models/user_spec.rb is not among the templates.
    expect(select(current, 'spec/factories/users.rb')).toEqual(['ee/spec/models/ee/user_spec.rb', 'spec/models/user_spec.rb', 'spec/models/users_spec.rb']);
    const rule = current.mapping.find((r) => r.sources.length === 2 && r.tests.length === 4)!;
    const hits = matchStatic([rule], ['spec/factories/users.rb'], createFileIndex(root));
    expect(hits.every((h) => h.rule === rule)).toBe(true);
  });

  it('db/migrate: both naming conventions; db/structure.sql → schema spec', () => {
    expect(select(current, 'db/migrate/20240101000000_add_foo.rb')).toEqual(['spec/migrations/20240101000000_add_foo_spec.rb', 'spec/migrations/add_foo_spec.rb']);
    expect(select(current, 'db/post_migrate/20240101000000_add_foo.rb')).toEqual(['spec/migrations/20240101000000_add_foo_spec.rb', 'spec/migrations/add_foo_spec.rb']);
    expect(select(current, 'db/structure.sql')).toEqual(['spec/db/schema_spec.rb']);
  });

  it('the {ee/,}spec/requests/api/**/*hook*_spec.rb glob: both editions, zero or more dirs, no dot dirs', () => {
    expect(select(current, 'lib/api/hooks/foo.rb')).toEqual([
      'ee/spec/requests/api/group_hooks_spec.rb',
      'spec/lib/api/hooks/foo_spec.rb', // the generic lib rule
      'spec/requests/api/hooks_spec.rb',
      'spec/requests/api/project_hooks_spec.rb',
      'spec/requests/api/v3/system_hooks_spec.rb',
    ]);
  });

  it('the sidebars glob with {navbar,sidebar} alternation honours %{prefix}', () => {
    expect(select(current, 'ee/lib/sidebars/x.rb')).toEqual([
      'ee/spec/features/groups/sidebar_spec.rb',
      'ee/spec/features/navbar_spec.rb',
      'ee/spec/lib/sidebars/x_spec.rb',
    ]);
  });

  it('a spec maps to itself only when it exists', () => {
    expect(select(current, 'spec/models/foo_spec.rb')).toEqual(['spec/models/foo_spec.rb']);
    expect(select(current, 'spec/models/gone_spec.rb')).toEqual([]);
  });

  it('one match per (changed path, test, rule), ordered by path then rule order', () => {
    const hits = matchStatic(current.mapping, ['app/models/foo.rb', 'ee/app/models/foo.rb'], createFileIndex(root));
    expect(hits.map((h) => [h.source, h.test, h.rule.line])).toEqual([
      ['app/models/foo.rb', 'spec/models/foo_spec.rb', 3],
      ['app/models/foo.rb', 'spec/models/every_model_spec.rb', 113],
      ['app/models/foo.rb', 'spec/lib/gitlab/import_export/model_configuration_spec.rb', 387],
      ['ee/app/models/foo.rb', 'ee/spec/models/foo_spec.rb', 3],
      ['ee/app/models/foo.rb', 'spec/models/every_model_spec.rb', 113],
      ['ee/app/models/foo.rb', 'spec/lib/gitlab/import_export/model_configuration_spec.rb', 387],
    ]);
    expect(hits[0]!.template).toBe('spec/models/foo_spec.rb');
    // A list-valued source keeps each regex's own line, for lint and explain output.
    expect(hits[2]!.rule.sourceLines).toEqual([388, 389]);
  });
});

describe("GitLab's 2021 tests.yml (numbered %s captures)", () => {
  it('an unmatched optional group fills %s with ""', () => {
    expect(select(old, 'app/views/projects/show.html.haml')).toEqual(['spec/views/projects/show.html.haml_spec.rb']);
    expect(select(old, 'lib/gitlab/foo.rb')).toEqual(['spec/lib/gitlab/foo_spec.rb']);
    expect(select(old, 'tooling/lib/x.rb')).toEqual(['spec/tooling/lib/x_spec.rb']);
  });

  it('two %s in one template fill in order (EE extension → FOSS spec)', () => {
    expect(select(old, 'ee/app/models/ee/user.rb')).toEqual([
      'ee/spec/models/ee/user_spec.rb', // ee/app/(.+)\.rb → ee/spec/%s_spec.rb
      'ee/spec/models/user_spec.rb', // ee/spec/%s%s_spec.rb
      'spec/models/user_spec.rb', // spec/%s%s_spec.rb
    ]);
  });
});

describe('all three real files load', () => {
  it('with their entry counts and no warnings', async () => {
    const counts: Record<string, number> = {};
    for (const f of [CURRENT, OLD_POSITIONAL, '0x73746F70626F74686572696E676D65__gitlab-fork__tests.yml__52907342.yml']) {
      const c = await loadConfig(f, { root: REAL });
      counts[f] = c.mapping.length;
      expect(c.warnings).toEqual([]);
    }
    expect(Object.values(counts)).toEqual([68, 15, 38]);
    // The mask_secret entry: unquoted YAML scalars, 36 explicit spec paths.
    const mask = current.mapping.find((r) => r.sources[0] === 'lib/gitlab/ci/mask_secret\\.rb')!;
    expect(mask.tests).toHaveLength(36);
    expect(mask.tests[0]).toBe('ee/spec/lib/gitlab/ci/google_cloud/generate_build_environment_variables_service_spec.rb');
  });
});
