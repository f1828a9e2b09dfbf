/**
 * Settings of the kill tests, overridable from the environment for longer local runs:
 * `REPROKIT_KILLS` (SIGKILLs per format, default 20) and `REPROKIT_KILL_SEED` (schedule seed,
 * default `reliability-ci`, fixed so CI kills at the same moments relative to a save's length).
 *
 * @example
 * const { kills, seed } = killTestSettings();
 */
export function killTestSettings(): { kills: number; seed: string } {
  const kills = Number(process.env.REPROKIT_KILLS ?? 20);
  return {
    kills: Number.isSafeInteger(kills) && kills > 0 ? kills : 20,
    seed: process.env.REPROKIT_KILL_SEED ?? 'reliability-ci',
  };
}
