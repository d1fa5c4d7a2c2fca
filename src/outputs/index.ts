export { selectionJson } from './json.js';
export { selectionList } from './list.js';
export { DEFAULT_EXPLAIN_LIMIT, selectionExplain, type ExplainOptions } from './explain.js';
export { summarize, summaryText, formatSeconds, type DetectSummary, type TimeEstimate, type TimingSource } from './summary.js';
export { selectionMarkdown, type MarkdownOptions } from './markdown.js';
