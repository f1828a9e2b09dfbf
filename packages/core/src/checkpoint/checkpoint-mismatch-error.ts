import { ReprokitError } from '../errors/reprokit-error.js';
import { describeWriteProblems, type WriteReport } from './write-report.js';

/**
 * A strict write found tensors missing, unexpected or mismatched. The model was not changed.
 * `report` lists every problem, not only the first.
 */
export class CheckpointMismatchError extends ReprokitError {
  static override readonly errorName: string = 'CheckpointMismatchError';

  readonly report: WriteReport;

  constructor(origin: string, report: WriteReport, target?: string) {
    const problems = describeWriteProblems(report);
    super({
      code: 'CHECKPOINT_MISMATCH',
      origin,
      message: `checkpoint does not fit ${target ?? 'the model'}: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`,
    });
    this.report = report;
  }
}
