export * from './cast/index.js';
export { type BufferedIo, bufferedIo, type CliIo, processIo } from './cli-io.js';
export * from './commands/index.js';
export * from './errors/index.js';
export { ExitCode } from './exit-code.js';
export * from './formats/index.js';
export * from './output/index.js';
export * from './progress/index.js';
export { type ConvertCliOptions, runCli } from './run-cli.js';
