/**
 * Opt-in V8 CPU profiles of the suite's processes during a benchmark: with BENCH_CPU_PROFILE_DIR
 * set, the gateway, every worker, the simulator and the bare Baileys holder run with `--cpu-prof`
 * and are stopped with SIGTERM (a killed process writes no profile), leaving
 * `<app>/CPU.<date>.<time>.<pid>…cpuprofile` files there for DevTools or speedscope. Profiling slows the processes down, so such a run's figures are not results.
 */
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;

export const cpuProfiling = PROFILE_DIR !== undefined && PROFILE_DIR !== '';

/** Node flags for a process called `app` (Node refuses --cpu-prof in NODE_OPTIONS). */
export function profilerNodeArgs(app: string): string[] {
  return cpuProfiling ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/${app}`] : [];
}
