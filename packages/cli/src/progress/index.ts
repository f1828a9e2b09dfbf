export {
  type ProgressReporter,
  silentProgress,
  type TerminalProgressOptions,
  terminalProgress,
} from './progress-reporter.js';
