import { readdirSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LAYERS } from '../../src/index.js';

const docUrl = new URL('../../docs/layer-coverage.md', import.meta.url);
const parityDir = new URL('../parity/', import.meta.url);

/** Model classes: exported by inlining their layer graph, not through a converter. */
const STRUCTURE = ['InputLayer', 'Sequential', 'Functional', 'Model'];

/** Every layer class tfjs registers for serialisation (what `tf.loadLayersModel` can build). */
function registeredLayerClasses(): string[] {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap;
  return Object.entries(registry)
    .filter(([, [layerClass]]) => layerClass.prototype instanceof tf.layers.Layer)
    .map(([name]) => name)
    .sort();
}

interface Row {
  readonly className: string;
  readonly exported: 'yes' | 'no';
  readonly note: string;
}

/** The rows of every table in docs/layer-coverage.md: | `Class` | yes/no | note |. */
function documentedRows(): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(docUrl, 'utf8').split('\n')) {
    const match = /^\| `([A-Za-z0-9]+)` \| (yes|no) \| (.*) \|$/.exec(line);
    if (match) {
      rows.push({
        className: match[1]!,
        exported: match[2] as 'yes' | 'no',
        note: match[3]!.trim(),
      });
    } else if (/^\| `/.test(line)) {
      throw new Error(`docs/layer-coverage.md: a table row the test cannot read: ${line}`);
    }
  }
  return rows;
}

describe('docs/layer-coverage.md lists every layer class tfjs registers, checked', () => {
  const registered = registeredLayerClasses();
  const rows = documentedRows();
  const byClass = new Map(rows.map((row) => [row.className, row]));

  it('tfjs 4.22 registers the layer classes the page was written for', () => {
    expect(tf.version.tfjs).toBe('4.22.0');
    expect(registered.length).toBe(69);
  });

  it('has one row for each registered layer class, and no other rows', () => {
    const missing = registered.filter((name) => !byClass.has(name));
    const extra = rows.map((row) => row.className).filter((name) => !registered.includes(name));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(rows.length).toBe(registered.length);
  });

  it('says yes exactly for the classes the exporter converts (or inlines)', () => {
    const exported = rows.filter((row) => row.exported === 'yes').map((row) => row.className);
    expect([...exported].sort()).toEqual([...SUPPORTED_LAYERS, ...STRUCTURE].sort());
  });

  it('gives a reason for every class it does not export, and a note for the others', () => {
    for (const row of rows) {
      expect(row.note.length, row.className).toBeGreaterThan(row.exported === 'no' ? 20 : 2);
    }
  });

  it('every exported layer class is named in a parity test', () => {
    const parity = readdirSync(parityDir)
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => readFileSync(new URL(file, parityDir), 'utf8'))
      .join('\n');
    const unnamed = SUPPORTED_LAYERS.filter((name) => !new RegExp(`\\b${name}\\b`).test(parity));
    expect(unnamed).toEqual([]);
  });
});
