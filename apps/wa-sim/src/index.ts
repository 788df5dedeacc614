export { startWaSim, type RunningWaSim } from './wa-sim';
export { WaSimClient } from './client/wa-sim-client';
