export { startWaSim, type RunningWaSim, type WaSimOptions } from './wa-sim';
export { WaSimClient, WaSimRequestError } from './client/wa-sim-client';
