/**
 * The printed report of a browser benchmark: what was loaded, how many rounds, a Markdown table
 * (one row per case, cells made by the benchmark), the target verdicts, then every timed run so
 * a reader sees the spread behind each median. Both benchmarks print this same shape.
 */
import type { CaseMeasurements } from './measure-cases.js';
import type { CaseName } from './page/bench-protocol.js';

export interface BenchReport {
  /** First line: the weights, the runtimes and the browser. */
  heading: string;
  rounds: { timed: number; heap: number };
  columns: readonly string[];
  /** One row of cells per case, in the order of `columns`. */
  rows: ReadonlyArray<readonly string[]>;
  /** Lines printed verbatim after the table (a leading `\n` gives a blank line). */
  verdicts: readonly string[];
  /** What `measureCases` gave back; its order is the order the runs are listed in. */
  results: ReadonlyMap<CaseName, CaseMeasurements>;
}

export function printResults(report: BenchReport): void {
  const { timed, heap } = report.rounds;
  console.log(report.heading);
  console.log(
    `median of ${timed} timed rounds and ${heap} heap-sampled rounds, each run a fresh page, cases alternating`,
  );
  console.log(`| ${report.columns.join(' | ')} |`);
  console.log(`|${report.columns.map(() => '---|').join('')}`);
  for (const cells of report.rows) console.log(`| ${cells.join(' | ')} |`);
  for (const verdict of report.verdicts) console.log(verdict);
  console.log('\nevery timed run (ms):');
  for (const [name, measurements] of report.results) {
    console.log(`  ${name.padEnd(24)} ${measurements.times.map((ms) => ms.toFixed(0)).join(', ')}`);
  }
}
