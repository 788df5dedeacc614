import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { WORKER_COMMANDS, type ChatPresence } from '@app/contracts';
import { SessionCommandRouter } from '@app/transport';

/** A typing indicator is a courtesy: never hold up the AI call or the reply for it. */
const PRESENCE_TIMEOUT_MS = 3_000;

/** "typing…" in a chat while the AI works (seed 003), through the worker that owns the session. */
@Injectable()
export class TypingIndicator {
  constructor(
    private readonly router: SessionCommandRouter,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(TypingIndicator.name);
  }

  show(sessionId: string, chatJid: string, traceId: string): Promise<void> {
    return this.set(sessionId, chatJid, 'composing', traceId);
  }

  clear(sessionId: string, chatJid: string, traceId: string): Promise<void> {
    return this.set(sessionId, chatJid, 'paused', traceId);
  }

  private async set(sessionId: string, chatJid: string, state: ChatPresence, traceId: string): Promise<void> {
    try {
      await this.router.send(sessionId, WORKER_COMMANDS.sessionPresence, { sessionId, chatJid, state, traceId }, PRESENCE_TIMEOUT_MS);
    } catch (error) {
      this.logger.debug({ err: error, sessionId, chatJid, state, traceId }, 'typing indicator not sent');
    }
  }
}
