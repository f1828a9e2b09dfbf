import type { RuntimeName } from './runtime-result.js';

/** One runtime's answer, as plain arrays (what `page.evaluate` can carry back). */
export interface PlainRuntimeResult {
  readonly runtime: RuntimeName;
  readonly labels: number[];
  readonly logits: number[];
  readonly milliseconds: number;
}

/**
 * What the page exposes on `window.reprokitWeb` for its headless check (test/page.node.test.ts)
 * and for anyone curious in the console. Each call goes through the same code as the buttons.
 */
export interface PageApi {
  /** Resolves once the shipped checkpoint runs on all three runtimes. */
  readonly ready: Promise<void>;
  /** The loaded checkpoint's name and fingerprint, and each runtime's weights fingerprint. */
  checkpoint(): {
    name: string;
    fingerprint: string;
    runtimes: { runtime: RuntimeName; weightsFingerprint: string }[];
  };
  /** Classify `count` images (784 values each) on every runtime. */
  classify(pixels: number[], count: number): Promise<PlainRuntimeResult[]>;
  /** Show one image on the canvas and classify it, as a drawing would be. */
  showDigit(pixels: number[]): Promise<PlainRuntimeResult[]>;
}

declare global {
  interface Window {
    reprokitWeb: PageApi;
  }
}
