export { formatByteSize } from './format-byte-size.js';
export { parseByteSize } from './parse-byte-size.js';
export { renderTable } from './render-table.js';
