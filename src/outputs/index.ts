export { selectionJson } from './json.js';
export { selectionList } from './list.js';
export { selectionExplain } from './explain.js';
