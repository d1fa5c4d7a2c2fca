// The types of dist/integrations/shared/child-spawns.cjs, the CommonJS copy of child-spawns.ts that
// scripts/bundle-cli.mjs builds for Jest's setup file (setup.cts requires it): taken from the ES
// module itself, so the two cannot drift apart.
type Shared = typeof import('./child-spawns.js', { with: { 'resolution-mode': 'import' } });
export declare const installChildTracker: Shared['installChildTracker'];
