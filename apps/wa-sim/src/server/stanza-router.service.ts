import { Injectable, Logger } from '@nestjs/common';
import type { proto } from '@whiskeysockets/baileys';
import { childNodes, type BinaryNode } from '../protocol/binary-node';
import type { ClientConnection } from './client-connection';

/** Thrown by an iq handler to answer `<iq type='error'><error code text/></iq>`. */
export class IqError extends Error {
  constructor(
    readonly code: number,
    readonly text: string,
  ) {
    super(`${code} ${text}`);
  }
}

export interface IqRequest {
  connection: ClientConnection;
  iq: BinaryNode;
  /** The first child of the iq, whose tag (with the xmlns) selected the handler. */
  query: BinaryNode | undefined;
}

/** Returns the children of the `<iq type='result'>` reply (none for an empty result). */
export type IqHandler = (request: IqRequest) => BinaryNode[] | void | Promise<BinaryNode[] | void>;
export type StanzaHandler = (connection: ClientConnection, stanza: BinaryNode) => void | Promise<void>;
export type HandshakeHandler = (connection: ClientConnection, clientStaticKey: Buffer, payload: proto.ClientPayload) => void | Promise<void>;

const ANY_CHILD = '*';

/**
 * Where modules plug in: they register handlers for iq namespaces (`xmlns` + first child tag) and
 * for other top-level stanzas (`message`, `receipt`, …). The connection layer only dispatches.
 */
@Injectable()
export class StanzaRouter {
  private readonly logger = new Logger('StanzaRouter');
  private readonly iqHandlers = new Map<string, IqHandler>();
  private readonly stanzaHandlers = new Map<string, StanzaHandler>();
  private handshakeHandler?: HandshakeHandler;

  /** `childTag` '*' matches any first child (or none) of that namespace. */
  onIq(xmlns: string, childTag: string, handler: IqHandler): void {
    const key = `${xmlns}|${childTag}`;
    if (this.iqHandlers.has(key)) throw new Error(`iq handler for ${key} registered twice`);
    this.iqHandlers.set(key, handler);
  }

  onStanza(tag: string, handler: StanzaHandler): void {
    if (this.stanzaHandlers.has(tag)) throw new Error(`stanza handler for ${tag} registered twice`);
    this.stanzaHandlers.set(tag, handler);
  }

  onHandshake(handler: HandshakeHandler): void {
    this.handshakeHandler = handler;
  }

  async handshakeCompleted(connection: ClientConnection, clientStaticKey: Buffer, payload: proto.ClientPayload): Promise<void> {
    if (!this.handshakeHandler) throw new Error('no handshake handler registered');
    await this.handshakeHandler(connection, clientStaticKey, payload);
  }

  async dispatch(connection: ClientConnection, stanza: BinaryNode): Promise<void> {
    if (stanza.tag === 'iq') return this.dispatchIq(connection, stanza);
    const handler = this.stanzaHandlers.get(stanza.tag);
    if (handler) return handler(connection, stanza);
    this.logger.debug(`ignored <${stanza.tag}> from ${connection.label}`);
  }

  private async dispatchIq(connection: ClientConnection, iq: BinaryNode): Promise<void> {
    const { id, type, xmlns } = iq.attrs;
    if (type === 'result' || type === 'error') {
      connection.settleRequest(iq);
      return;
    }
    const query = childNodes(iq)[0];
    const handler = this.iqHandlers.get(`${xmlns}|${query?.tag ?? ''}`) ?? this.iqHandlers.get(`${xmlns}|${ANY_CHILD}`);
    if (!handler) {
      this.logger.warn(`unhandled iq xmlns=${xmlns} type=${type} child=${query?.tag} from ${connection.label}`);
      connection.replyIqError(iq, new IqError(501, 'feature-not-implemented'));
      return;
    }
    try {
      const content = await handler({ connection, iq, query });
      connection.replyIq(iq, content ?? undefined);
    } catch (error) {
      if (error instanceof IqError) return connection.replyIqError(iq, error);
      this.logger.error(`iq ${xmlns}/${query?.tag} id=${id} failed: ${(error as Error).stack}`);
      connection.replyIqError(iq, new IqError(500, 'internal-server-error'));
    }
  }
}
