// The types of dist/integrations/shared/fs-reads.cjs, the CommonJS copy of fs-reads.ts that
// scripts/bundle-cli.mjs builds for Jest's setup file (setup.cts requires it): taken from the ES
// module itself, so the two cannot drift apart.
type Shared = typeof import('./fs-reads.js', { with: { 'resolution-mode': 'import' } });
export declare const installFsReadTracker: Shared['installFsReadTracker'];
