import { AppError } from '@app/contracts';
import type { OutgoingMessage, WhatsAppConnection } from '../whatsapp/whatsapp-connection';

/**
 * A held session's WhatsApp connection as the rest of the session uses it: the outbox sends
 * through it, commands act on it. It is attached when a socket opens for the session and is
 * usable (`connected`) once the session is linked and the socket open.
 */
export class SessionLink {
  private connection: WhatsAppConnection | null = null;
  private open = false;

  constructor(readonly sessionId: string) {}

  get connected(): boolean {
    return this.open && this.connection !== null;
  }

  /** The socket, open or not (QR, pairing and logout need it before it is connected). */
  get current(): WhatsAppConnection | null {
    return this.connection;
  }

  attach(connection: WhatsAppConnection): void {
    this.connection = connection;
    this.open = false;
  }

  markOpen(): void {
    this.open = this.connection !== null;
  }

  /** Takes the socket away (closed or closing) and returns it. */
  detach(): WhatsAppConnection | null {
    const connection = this.connection;
    this.connection = null;
    this.open = false;
    return connection;
  }

  /** Hands a message to WhatsApp; resolves once the socket wrote it and its keys are stored. */
  send(message: OutgoingMessage): Promise<void> {
    return this.live().send(message);
  }

  /** The connected socket, or SESSION_NOT_READY. */
  live(): WhatsAppConnection {
    if (!this.connected) throw new AppError('SESSION_NOT_READY', `Session ${this.sessionId} is not connected`);
    return this.connection!;
  }
}
