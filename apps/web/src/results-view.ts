import { CLASSES } from './digit-shape.js';
import type { RuntimeResult } from './runtime-result.js';

/** Softmax of one row of logits, in float64. */
export function probabilities(logits: ArrayLike<number>, row: number): number[] {
  const values = Array.from({ length: CLASSES }, (_, column) => logits[row * CLASSES + column]!);
  const largest = Math.max(...values);
  const exponentials = values.map((value) => Math.exp(value - largest));
  const sum = exponentials.reduce((total, value) => total + value, 0);
  return exponentials.map((value) => value / sum);
}

/** One card per runtime: its predicted label, a bar per digit's probability, its time. */
export function renderResults(container: HTMLElement, results: readonly RuntimeResult[]): void {
  container.replaceChildren(
    ...results.map((result) => {
      const card = document.createElement('article');
      card.className = 'runtime';
      card.dataset.runtime = result.runtime;
      const label = result.labels[0]!;
      const heading = document.createElement('h3');
      heading.textContent = result.runtime;
      const summary = document.createElement('p');
      summary.innerHTML = `<span class="label" data-label>${label}</span><span class="time" data-milliseconds="${result.milliseconds}">${result.milliseconds.toFixed(2)} ms</span>`;
      card.append(heading, summary);
      probabilities(result.logits, 0).forEach((probability, digit) => {
        const row = document.createElement('div');
        row.className = digit === label ? 'bar-row best' : 'bar-row';
        const bar = document.createElement('div');
        bar.className = 'bar';
        bar.style.width = `${(probability * 100).toFixed(1)}%`;
        const track = document.createElement('div');
        track.append(bar);
        const digitCell = document.createElement('span');
        digitCell.textContent = String(digit);
        const value = document.createElement('span');
        value.textContent = `${(probability * 100).toFixed(1)}%`;
        row.append(digitCell, track, value);
        card.append(row);
      });
      return card;
    }),
  );
}
