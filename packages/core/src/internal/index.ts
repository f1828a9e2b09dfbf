// @reprokit/core/internal: shared by reprokit's own packages (the CLI, the demo), not public
// API: anything here may change in any release.
export { renderTable } from './render-table.js';
