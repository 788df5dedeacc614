import { killLeftoverProcesses } from './app-process';

// Runs after each test file: a process it left running is killed, and the file fails for it.
afterAll(async () => {
  const killed = await killLeftoverProcesses();
  if (killed > 0) throw new Error(`this test file left ${killed} process(es) running; they were killed`);
});
