// One reader of package.json for the whole package; kept here so native/ imports stay local.
export { testsiftVersion } from '../../../util/version.js';
