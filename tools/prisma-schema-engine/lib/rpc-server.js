'use strict';
/**
 * JSON-RPC 2.0 over stdio, one JSON document per line — the transport the Prisma CLI uses with
 * its schema engine. Requests are handled one at a time, in arrival order: the wasm engine's
 * methods take `&mut self` and must never overlap.
 *
 * The conversation is two-way: while handling a request the engine may itself send requests to
 * the CLI (`print`, used by `migrate diff` to write its output); the CLI's answers arrive on stdin.
 */

const readline = require('node:readline');

/**
 * @param {{
 *   input: NodeJS.ReadableStream,
 *   output: NodeJS.WritableStream,
 *   handle: (method: string, params: unknown, client: { request: (method: string, params: unknown) => Promise<unknown> }) => Promise<unknown>,
 *   toError: (error: unknown) => { code: number, message: string, data?: unknown },
 *   onClose: () => void,
 * }} options
 */
function serveJsonRpc({ input, output, handle, toError, onClose }) {
  const pendingOutgoing = new Map();
  let nextOutgoingId = 1;
  let queue = Promise.resolve();

  const send = (message) => output.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);

  const client = {
    request(method, params) {
      const id = `engine-${nextOutgoingId++}`;
      return new Promise((resolve, reject) => {
        pendingOutgoing.set(id, { resolve, reject });
        send({ id, method, params });
      });
    },
  };

  const onMessage = (message) => {
    if (typeof message.method === 'string') {
      const isNotification = message.id === undefined;
      queue = queue.then(async () => {
        try {
          const result = await handle(message.method, message.params, client);
          if (!isNotification) send({ id: message.id, result: result === undefined ? null : result });
        } catch (error) {
          if (!isNotification) send({ id: message.id, error: toError(error) });
        }
      });
      return;
    }
    const pending = pendingOutgoing.get(message.id);
    if (!pending) return;
    pendingOutgoing.delete(message.id);
    if (message.error) pending.reject(new Error(message.error.message ?? 'request failed'));
    else pending.resolve(message.result);
  };

  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      send({ id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    onMessage(message);
  });

  // stdin closing is how the CLI stops the engine; let the requests already received finish first.
  lines.on('close', () => {
    for (const pending of pendingOutgoing.values()) pending.reject(new Error('The CLI closed the connection.'));
    pendingOutgoing.clear();
    queue.finally(onClose);
  });
}

module.exports = { serveJsonRpc };
