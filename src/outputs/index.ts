export { selectionJson } from './json.js';
export { selectionList } from './list.js';
export { DEFAULT_EXPLAIN_LIMIT, selectionExplain, type ExplainOptions } from './explain.js';
