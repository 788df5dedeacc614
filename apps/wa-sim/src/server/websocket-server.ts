import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { WebSocketServer } from 'ws';
import { ServerIdentityService } from '../persistence/server-identity.service';
import { NoiseHandshake } from '../protocol/noise-handshake';
import { ClientConnection } from './client-connection';
import { ConnectionRegistry } from './connection-registry.service';
import { StanzaRouter } from './stanza-router.service';

export const WS_PATH = '/ws/chat';

/** Accepts WhatsApp client WebSockets on the control API's HTTP server, at /ws/chat. */
@Injectable()
export class SimWebSocketServer {
  private readonly logger = new Logger('SimWebSocketServer');
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  constructor(
    private readonly identity: ServerIdentityService,
    private readonly router: StanzaRouter,
    private readonly connections: ConnectionRegistry,
  ) {}

  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(request.url ?? '/', 'http://sim').pathname !== WS_PATH) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        const connection = new ClientConnection(ws, new NoiseHandshake(this.identity.serverStatic, this.identity.certificateChain), this.router);
        this.connections.track(connection);
        this.logger.debug(`${connection.label} connected`);
      });
    });
  }

  close(): Promise<void> {
    this.connections.dropAll();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
