export { CliError, type CliErrorCode } from './cli-error.js';
export { formatErrorLine } from './format-error-line.js';
