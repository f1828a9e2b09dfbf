/**
 * Lay out rows as text columns separated by two spaces, with a rule under the header row
 * (the first row). Columns in `alignRight` (indexes) are right-aligned, for numbers.
 *
 * @example
 * renderTable([['runtime', 'ms'], ['onnxruntime-node', '0.8']], { alignRight: [1] });
 */
export function renderTable(
  rows: readonly (readonly string[])[],
  options: { alignRight?: readonly number[] } = {},
): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, [...cell].length);
    });
  }
  const right = new Set(options.alignRight ?? []);
  const lines = rows.map((row) =>
    row
      .map((cell, index) => {
        const pad = ' '.repeat((widths[index] ?? 0) - [...cell].length);
        return right.has(index) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
  if (lines.length > 0) lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  return `${lines.join('\n')}\n`;
}
