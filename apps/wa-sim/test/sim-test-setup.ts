// Imported, not global: the build compiles this folder too, without jest's types.
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { type Companion, linkByQr, startTestSim, type TestSim } from './baileys-companion';

export interface SimTestSetup {
  /** The file's simulator; usable from the first test (and the spec's own beforeAll) on. */
  sim: TestSim;
  /** Companions a test opened: ended after that test. */
  open: Companion[];
  /** Creates the account and links a companion to it by QR; the companion is ended after the test. */
  linkedAccount(phoneNumber: string): Promise<Companion>;
  /** Stops the simulator and starts it again on the same state directory; `sim` is then the new one. */
  restart(): Promise<void>;
}

/**
 * What the simulator specs share: one simulator per file, companions ended after each test. Call
 * it inside `describe`, before the spec's own hooks.
 */
export function useTestSim(): SimTestSetup {
  // Filled in by beforeAll: specs can hold `sim` from describe time, as they held their own `let sim`.
  const sim = {} as TestSim;
  const open: Companion[] = [];

  beforeAll(async () => {
    Object.assign(sim, await startTestSim());
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((companion) => companion.end()));
  });

  afterAll(async () => {
    await sim.stop();
  });

  async function linkedAccount(phoneNumber: string): Promise<Companion> {
    await sim.client.createAccount(phoneNumber);
    const companion = await linkByQr(sim, phoneNumber);
    open.push(companion);
    return companion;
  }

  async function restart(): Promise<void> {
    await sim.stop(false);
    Object.assign(sim, await startTestSim(sim.stateDir));
  }

  return { sim, open, linkedAccount, restart };
}
