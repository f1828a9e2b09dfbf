import { fingerprint } from '@reprokit/core';
import { renderTable } from '@reprokit/core/internal';
import { openInput } from '../formats/open-input.js';
import { readWeights } from '../formats/read-weights.js';
import { summarizeWeights, type WeightsSummary } from '../formats/summarize-weights.js';
import type { WeightsFormat } from '../formats/weights-format.js';
import { formatByteSize } from '../output/format-byte-size.js';
import type { CommandContext } from './command-context.js';

export interface InspectOptions {
  /** Print one JSON document instead of the table. */
  json?: boolean;
  /** Read and hash the data too (inspect otherwise reads headers only). */
  fingerprint?: boolean;
}

/** The document `reprokit inspect --json` prints. */
export interface InspectDocument {
  format: WeightsFormat;
  tensors: { name: string; dtype: string; shape: number[]; bytes: number }[];
  metadata: Record<string, string>;
  /** The files read, entry first (shards, external data). */
  files: string[];
  /** Hex SHA-256 from core's `fingerprint`; `null` when the data was not read. */
  fingerprint: string | null;
}

/**
 * `reprokit inspect <file or URL>`: list the tensors, totals and metadata of a weights file in
 * any format, from its headers alone (a 100 GB checkpoint on a server is inspected with a few
 * range requests). The fingerprint is `null` unless `fingerprint: true` asks for the data to
 * be read and hashed.
 *
 * @example
 * const document = await inspectCommand('model.safetensors', { json: true }, context);
 */
export async function inspectCommand(
  file: string,
  options: InspectOptions,
  context: CommandContext,
): Promise<InspectDocument> {
  context.currentFile = file;
  const input = await openInput(file, context.progress);
  let summary: WeightsSummary;
  let checkpoint: Awaited<ReturnType<typeof readWeights>> | undefined;
  try {
    summary = await summarizeWeights(input, context.progress);
    if (options.fingerprint === true) checkpoint = await readWeights(input, context.progress);
  } finally {
    await input.close();
  }
  const document: InspectDocument = {
    format: summary.format,
    tensors: summary.tensors.map((tensor) => ({
      name: tensor.name,
      dtype: tensor.dtype,
      shape: [...tensor.shape],
      bytes: tensor.bytes,
    })),
    metadata: Object.fromEntries(summary.metadata),
    files: [...summary.files],
    fingerprint: checkpoint === undefined ? null : fingerprint(checkpoint),
  };
  context.progress.finish();
  context.io.writeOut(
    options.json === true
      ? `${JSON.stringify(document, null, 2)}\n`
      : renderInspect(file, summary, document),
  );
  return document;
}

function renderInspect(file: string, summary: WeightsSummary, document: InspectDocument): string {
  const rows = [
    ['name', 'dtype', 'shape', 'bytes'],
    ...summary.tensors.map((tensor) => [
      tensor.name,
      tensor.dtype,
      `[${tensor.shape.join(',')}]`,
      String(tensor.bytes),
    ]),
  ];
  const totalBytes = summary.tensors.reduce((sum, tensor) => sum + tensor.bytes, 0);
  const totalElements = summary.tensors.reduce(
    (sum, tensor) => sum + tensor.shape.reduce((product, dim) => product * dim, 1),
    0,
  );
  const lines = [`${file} (${summary.format})`, '', renderTable(rows, { alignRight: [3] })];
  lines.push(
    `${summary.tensors.length} tensors, ${totalElements} elements, ${totalBytes} bytes (${formatByteSize(totalBytes)})`,
  );
  const metadata = [...summary.metadata];
  if (metadata.length === 0) {
    lines.push('metadata: none');
  } else {
    lines.push('metadata:');
    for (const [key, value] of metadata) lines.push(`  ${key}: ${shorten(value)}`);
  }
  lines.push(
    `fingerprint: ${document.fingerprint ?? 'not computed (headers only; pass --fingerprint to read and hash the data)'}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Long metadata values (a model topology) are cut in the table; `--json` has them whole. */
function shorten(value: string, limit = 100): string {
  const flat = value.replace(/\s+/g, ' ');
  return flat.length <= limit
    ? flat
    : `${flat.slice(0, limit)}... (${value.length} characters; see --json)`;
}
