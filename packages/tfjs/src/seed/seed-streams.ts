import {
  createRng,
  deriveSeed,
  type JsonValue,
  parseRngState,
  type Rng,
  restoreRng,
} from '@reprokit/core';
import { TfjsSeedError } from './tfjs-seed-error.js';

/**
 * Independent generators of the tfjs control, each derived from the control's seed, so that
 * one kind of draw never shifts another: adding a `tf.data` shuffle does not change the
 * initial weights, and a change in batch count does not change dropout masks.
 */
export const STREAM_NAMES = ['ops', 'shuffle', 'data'] as const;

/** One of the control's generators: `ops` (random ops, hence initializers and dropout), `shuffle` (`model.fit`), `data` (`tf.data` shuffle seeds). */
export type StreamName = (typeof STREAM_NAMES)[number];

const SNAPSHOT_KIND = 'reprokit/tfjs-seed';
const SNAPSHOT_VERSION = 1;

/** The JSON value returned by `tfjsSeedControl(tf).snapshot()`. */
export interface TfjsSeedSnapshot {
  kind: typeof SNAPSHOT_KIND;
  version: typeof SNAPSHOT_VERSION;
  /** The seed the control was last given; kept to label the snapshot, not to replay it. */
  seed: number;
  streams: Record<StreamName, JsonValue>;
}

export class SeedStreams {
  private constructor(
    readonly seed: number,
    private readonly rngs: Record<StreamName, Rng>,
  ) {}

  static fromSeed(seed: number): SeedStreams {
    const rngs = {} as Record<StreamName, Rng>;
    for (const name of STREAM_NAMES) rngs[name] = createRng(deriveSeed(seed, name));
    return new SeedStreams(seed, rngs);
  }

  static fromSnapshot(state: unknown): SeedStreams {
    const snapshot = validateSnapshot(state);
    const rngs = {} as Record<StreamName, Rng>;
    for (const name of STREAM_NAMES) {
      try {
        rngs[name] = restoreRng(parseRngState(snapshot.streams[name], 'tfjs'));
      } catch (cause) {
        throw invalid(`stream "${name}" holds a state the core RNG rejects`, cause);
      }
    }
    return new SeedStreams(snapshot.seed, rngs);
  }

  /** A float in [0, 1) from the named stream; the values tfjs would have taken from `Math.random`. */
  next(name: StreamName): number {
    return this.rngs[name].next();
  }

  nextUint32(name: StreamName): number {
    return this.rngs[name].nextUint32();
  }

  snapshot(): TfjsSeedSnapshot {
    const streams = {} as Record<StreamName, JsonValue>;
    for (const name of STREAM_NAMES) {
      // Round-trip through JSON so the snapshot shares nothing mutable with the live RNG.
      streams[name] = JSON.parse(JSON.stringify(this.rngs[name].state())) as JsonValue;
    }
    return { kind: SNAPSHOT_KIND, version: SNAPSHOT_VERSION, seed: this.seed, streams };
  }
}

function validateSnapshot(state: unknown): TfjsSeedSnapshot {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw invalid(`expected an object, got ${describe(state)}`);
  }
  const record = state as Record<string, unknown>;
  if (record.kind !== SNAPSHOT_KIND) {
    throw invalid(`"kind" is ${describe(record.kind)}, expected "${SNAPSHOT_KIND}"`);
  }
  if (record.version !== SNAPSHOT_VERSION) {
    throw invalid(
      `"version" is ${describe(record.version)}, this control reads version ${SNAPSHOT_VERSION}`,
    );
  }
  if (!isSeed(record.seed)) throw invalid(`"seed" is ${describe(record.seed)}, expected a uint32`);
  const streams = record.streams;
  if (typeof streams !== 'object' || streams === null) {
    throw invalid(`"streams" is ${describe(streams)}, expected an object`);
  }
  for (const name of STREAM_NAMES) {
    if (!(name in streams)) throw invalid(`stream "${name}" is missing`);
  }
  return state as TfjsSeedSnapshot;
}

/** True for the seeds a control accepts: integers in [1, 2^32 - 1]. */
export function isSeed(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 0xffffffff;
}

function invalid(detail: string, cause?: unknown): TfjsSeedError {
  return new TfjsSeedError({
    code: 'TFJS_SEED_STATE_INVALID',
    message: `not a tfjs seed snapshot: ${detail}`,
    cause,
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
