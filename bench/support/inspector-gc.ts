import WebSocket from 'ws';

/**
 * Node flag given to every measured process (worker and bare Baileys alike): an inspector on a
 * free port, so the benchmark can force a full GC from outside before reading RSS. Without it an
 * idle process's RSS depends on where it is in its GC cycle (hundreds of MiB of garbage at times).
 */
export const INSPECTOR_NODE_OPTIONS = '--inspect=127.0.0.1:0';

/** The inspector's WebSocket URL, from the line Node prints on stderr when it starts. */
export function inspectorUrlIn(lines: string[]): string | undefined {
  for (const line of lines) {
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1];
    if (url) return url;
  }
  return undefined;
}

/** Asks V8 for a full, memory-reducing GC (what a low-memory notification does) and waits for it. */
export async function collectGarbage(inspectorUrl: string): Promise<void> {
  const socket = new WebSocket(inspectorUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
    socket.on('message', (data) => (JSON.parse((data as Buffer).toString()) as { id?: number }).id === 1 && resolve());
    socket.once('error', reject);
  });
  socket.close();
}
