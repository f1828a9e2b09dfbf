import { renderTable } from '@reprokit/core/internal';
import type { InferenceRow } from './demo-report.js';
import { milliseconds, percent, scientific } from './format-numbers.js';

/**
 * The demo's final table: per model and runtime, test accuracy, the median time of one
 * inference over the same batch, the speed-up over tfjs cpu and the largest logit difference
 * from tfjs cpu.
 *
 * @example
 * console.log(inferenceTable(report.inference));
 */
export function inferenceTable(rows: readonly InferenceRow[]): string {
  return renderTable(
    [
      ['model', 'runtime', 'accuracy', 'inference (batch)', 'speed-up', 'max |Δ logit|'],
      ...rows.map((row) => [
        row.model,
        row.runtime,
        percent(row.accuracy),
        `${milliseconds(row.medianMs)} (${row.batch})`,
        `${row.speedUp.toFixed(1)}x`,
        row.runtime === 'tfjs cpu' ? 'baseline' : scientific(row.maxAbsDiff),
      ]),
    ],
    { alignRight: [2, 3, 4, 5] },
  );
}
