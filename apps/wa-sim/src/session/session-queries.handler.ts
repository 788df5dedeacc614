import { Injectable, type OnModuleInit } from '@nestjs/common';
import { children, node, type BinaryNode } from '../protocol/binary-node';
import { ConnectionRegistry } from '../server/connection-registry.service';
import { StanzaRouter, type IqRequest } from '../server/stanza-router.service';
import { PrivacyTokensLedger } from './privacy-tokens.ledger';

const PRIVACY_DEFAULTS: Record<string, string> = {
  readreceipts: 'all',
  last: 'all',
  online: 'all',
  profile: 'all',
  status: 'all',
  groupadd: 'all',
  calladd: 'all',
  messages: 'all',
};

/** The queries a logged-in Baileys socket makes around `open`; unanswered, each stalls it up to 60 s. */
@Injectable()
export class SessionQueriesHandler implements OnModuleInit {
  constructor(
    private readonly router: StanzaRouter,
    private readonly connections: ConnectionRegistry,
    private readonly privacyTokens: PrivacyTokensLedger,
  ) {}

  onModuleInit(): void {
    this.router.onIq('w:p', 'ping', () => undefined);
    this.router.onIq('passive', 'active', (request) => this.becameActive(request));
    this.router.onIq('passive', 'passive', () => undefined);
    this.router.onIq('abt', 'props', () => [node('props', { protocol: '1', hash: 'sim' })]);
    this.router.onIq('blocklist', '', () => [node('list', {})]);
    this.router.onIq('privacy', 'privacy', ({ iq }) => this.privacy(iq));
    this.router.onIq('privacy', 'tokens', (request) => this.tokensIssued(request));
    this.router.onIq('w:stats', 'add', () => undefined);
    this.router.onIq('w:sync:app:state', 'sync', ({ query }) => this.emptyAppState(query));
    for (const tag of ['presence', 'chatstate', 'ib', 'ack']) this.router.onStanza(tag, () => undefined);
  }

  /** Baileys goes active after its prekeys are on the server: the moment to deliver queued messages. */
  private becameActive({ connection }: IqRequest): void {
    if (!connection.device) return;
    // Runs after this reply is sent, outside the connection's frame queue.
    setImmediate(() => void this.connections.markReady(connection));
  }

  /** A companion issuing its privacy token to contacts (`set`): counted, answered with no tokens of theirs. */
  private tokensIssued({ connection, iq, query }: IqRequest): BinaryNode[] {
    if (iq.attrs.type === 'set' && connection.device) this.privacyTokens.record(connection.device.phoneNumber, children(query, 'token').length);
    return [node('tokens', {})];
  }

  private privacy(iq: BinaryNode): BinaryNode[] | undefined {
    if (iq.attrs.type !== 'get') return undefined;
    return [
      node(
        'privacy',
        {},
        Object.entries(PRIVACY_DEFAULTS).map(([name, value]) => node('category', { name, value })),
      ),
    ];
  }

  /** App-state collections exist but are empty: no patches, no snapshot, nothing more to fetch. */
  private emptyAppState(query: BinaryNode | undefined): BinaryNode[] {
    const collections = children(query, 'collection').map((collection) =>
      node('collection', { name: collection.attrs.name ?? '', version: collection.attrs.version ?? '0' }),
    );
    return [node('sync', {}, collections)];
  }
}
