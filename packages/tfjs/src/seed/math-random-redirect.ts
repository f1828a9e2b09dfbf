/**
 * Points `Math.random` at another generator for the span of a synchronous tfjs call, then
 * puts back whatever was there (the engine default or the `math-random` control's patch).
 *
 * tfjs draws every missing seed from `Math.random` (random ops, initializers, dropout, the
 * `model.fit` shuffle). Redirecting only while tfjs itself runs gives tfjs its own stream:
 * user code calling `Math.random` between two layers does not change the weights.
 * Nesting is counted; the outermost generator wins.
 */
export class MathRandomRedirect {
  private depth = 0;
  private saved: (() => number) | undefined;

  enter(random: () => number): void {
    if (this.depth === 0) {
      this.saved = Math.random;
      Math.random = random;
    }
    this.depth++;
  }

  exit(): void {
    if (this.depth === 0) return;
    this.depth--;
    if (this.depth === 0 && this.saved !== undefined) {
      Math.random = this.saved;
      this.saved = undefined;
    }
  }

  run<T>(random: () => number, fn: () => T): T {
    this.enter(random);
    try {
      return fn();
    } finally {
      this.exit();
    }
  }

  get active(): boolean {
    return this.depth > 0;
  }
}
