export type * from './types.js';
export { MapBuilder, MemoryCoverageMap, type MapRecord } from './model.js';
export { mergeMapRecords } from './merge.js';
export { detectMapFormat } from './readers/sniff-format.js';
export { specFileOfExampleId } from './readers/crystalball.js';
export { testPathOfCoverageFile } from './readers/istanbul-folder.js';
export { MAP_FORMATS, loadCoverageMap, readMapRecord, writeCoverageMap, type LoadOptions } from './load.js';
