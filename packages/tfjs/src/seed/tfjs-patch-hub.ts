import type { TensorflowRandom } from '@reprokit/core/python';
import type { TfjsModule } from '../tfjs-module.js';
import { installDataShuffleHook } from './data-shuffle-hook.js';
import type { DeterminismAudit } from './determinism-audit.js';
import { installExplicitSeedHooks } from './explicit-seed-hooks.js';
import { installFitShuffleHook } from './fit-shuffle-hook.js';
import { FitShuffleWindow } from './fit-shuffle-window.js';
import { installKerasInitializerHooks, type TfjsTensorFactory } from './keras-initializer-hooks.js';
import { MathRandomRedirect } from './math-random-redirect.js';
import { PropertyPatches } from './property-patches.js';
import { installRandomOpHook } from './random-op-hook.js';
import type { SeedStreams } from './seed-streams.js';
import { TfjsSeedError } from './tfjs-seed-error.js';

/** What the hooks need from an active control. */
export interface HubClient {
  streams(): SeedStreams;
  readonly audit: DeterminismAudit;
  readonly replaceExplicitSeeds: boolean;
  /** The Keras-mode generator (`initializers: 'keras'`), or undefined for tfjs' initializers. */
  keras?(): TensorflowRandom | undefined;
}

/**
 * The one set of patches on a tfjs engine, shared by every active control on it.
 *
 * Controls may be released in any order (two scopes, a test's cleanup); if each control
 * patched on its own, releasing the older first would put the younger's wrapper back after
 * it was gone. Here the hooks are installed when the first control activates, always serve
 * the most recently activated control, and are removed, restoring every original, when the
 * last one releases.
 */
export class TfjsPatchHub {
  private readonly patches = new PropertyPatches();
  private readonly redirect = new MathRandomRedirect();
  private readonly clients: HubClient[] = [];
  private fitShuffleWindow: FitShuffleWindow | undefined;

  private constructor(private readonly tf: TfjsModule) {}

  static for(tf: TfjsModule): TfjsPatchHub {
    const engine = tf.engine();
    if (typeof engine !== 'object' || engine === null) throw unsupported();
    let hub = hubs.get(engine);
    if (hub === undefined) {
      hub = new TfjsPatchHub(tf);
      hubs.set(engine, hub);
    }
    return hub;
  }

  isActive(client: HubClient): boolean {
    return this.clients.includes(client);
  }

  /** Make `client` the one the hooks serve, installing them if no control was active. */
  activate(client: HubClient): void {
    const index = this.clients.indexOf(client);
    if (index >= 0) this.clients.splice(index, 1);
    const first = this.clients.length === 0;
    this.clients.push(client);
    if (!first) return;
    try {
      this.install(client);
    } catch (error) {
      // Nothing half-patched: an audit error or an unsupported module undoes it all.
      this.clients.pop();
      this.fitShuffleWindow = undefined;
      this.patches.restoreAll();
      throw error;
    }
  }

  deactivate(client: HubClient): void {
    const index = this.clients.indexOf(client);
    if (index < 0) return;
    this.clients.splice(index, 1);
    if (this.clients.length === 0) {
      this.fitShuffleWindow?.close();
      this.fitShuffleWindow = undefined;
      this.patches.restoreAll();
    }
  }

  private top(): HubClient | undefined {
    return this.clients[this.clients.length - 1];
  }

  /**
   * Where `tf.util` is frozen (tfjs as ES modules), fit's shuffle is reached from both sides of it
   * instead: see FitShuffleWindow. The stream and the order are the ones the CommonJS hook gives.
   */
  private installFitShuffleWindow(random: () => number): boolean {
    const window = new FitShuffleWindow(random, (detail) =>
      this.top()?.audit.report({
        kind: 'fit-shuffle-disturbed',
        message: `${detail}; the epoch's order is reproducible only if that draw is`,
      }),
    );
    if (!window.install(this.patches, this.tf.CallbackList, this.tf.engine())) return false;
    this.fitShuffleWindow = window;
    return true;
  }

  private install(client: HubClient): void {
    const tf = this.tf;
    // Each generator reads the current top client at call time, so a later control takes over
    // and a release hands back to the one below.
    const random = (stream: 'ops' | 'shuffle') => () => {
      const top = this.top();
      return top === undefined ? Math.random() : top.streams().next(stream);
    };
    if (!installRandomOpHook(this.patches, tf.engine(), this.redirect, random('ops'))) {
      throw unsupported();
    }
    if (
      !installFitShuffleHook(this.patches, tf.util, this.redirect, random('shuffle')) &&
      !this.installFitShuffleWindow(random('shuffle'))
    ) {
      client.audit.report({
        kind: 'fit-shuffle-not-covered',
        message:
          'tf.util is frozen (an ESM bundle) and this tfjs has no CallbackList/makeTensor to hook, ' +
          'so model.fit shuffles still use Math.random: pass { shuffle: false } to fit, or rely ' +
          "on seedEverything's math-random control",
      });
    }
    const dataSeed = () => {
      const top = this.top();
      return String(top === undefined ? Date.now() : top.streams().nextUint32('data'));
    };
    if (!installDataShuffleHook(this.patches, tf.data, dataSeed)) {
      client.audit.report({
        kind: 'data-shuffle-not-covered',
        message:
          'tf.data.Dataset.prototype cannot be patched, so dataset.shuffle() without a seed ' +
          'is seeded from the clock: pass an explicit seed to every shuffle',
      });
    }
    installExplicitSeedHooks(
      this.patches,
      tf.serialization.SerializationMap.getMap().classNameMap,
      () => this.top(),
      () => backendName(tf),
    );
    // Installed after the explicit-seed hooks, so it wraps them: in Keras mode an unseeded
    // initializer is answered here; otherwise the call goes on to them unchanged.
    installKerasInitializerHooks(
      this.patches,
      tf as unknown as TfjsTensorFactory,
      tf.serialization.SerializationMap.getMap().classNameMap,
      () => this.top()?.keras?.(),
    );
    client.audit.checkBackend(backendName(tf));
  }
}

const hubs = new WeakMap<object, TfjsPatchHub>();

/** The active backend's name without initialising one (`tf.getBackend()` would). */
export function backendName(tf: TfjsModule): string | undefined {
  const name = (tf.engine() as { backendName?: unknown }).backendName;
  return typeof name === 'string' ? name : undefined;
}

function unsupported(): TfjsSeedError {
  return new TfjsSeedError({
    code: 'TFJS_SEED_UNSUPPORTED_MODULE',
    message:
      'tf.engine() has no startScope/endScope methods to hook; pass the module of ' +
      '@tensorflow/tfjs 4.x (import * as tf from "@tensorflow/tfjs")',
  });
}
