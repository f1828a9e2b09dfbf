/**
 * Run async tasks one after another. tfjs has one active backend for the whole page, so a
 * classification on `webgl` must not interleave with a load or a training run on `wasm`.
 */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (task) => {
    const next = last.then(task, task);
    last = next.catch(() => undefined);
    return next;
  };
}
