/**
 * Lay out rows as left-aligned text columns; columns listed in `alignRight` (by index) are
 * right-aligned, for numbers. The first row is the header and gets a rule beneath it.
 *
 * @example
 * renderTable([['name', 'bytes'], ['dense/kernel', '24']], { alignRight: [1] });
 */
export function renderTable(
  rows: readonly (readonly string[])[],
  options: { alignRight?: readonly number[] } = {},
): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  const right = new Set(options.alignRight ?? []);
  const lines = rows.map((row) =>
    row
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        return right.has(index) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd(),
  );
  if (lines.length > 0) {
    lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  }
  return `${lines.join('\n')}\n`;
}
