import type { AddressInfo } from 'node:net';
import { ValidationPipe, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorEnvelopeFilter, invalidPayload } from './control/error-envelope.filter';
import { MediaHostServer } from './media/media-host.server';
import { MediaIdentityService } from './media/media-identity.service';
import { isWildcardHost } from './media/media.options';
import { ServerIdentityService } from './persistence/server-identity.service';
import { SimWebSocketServer, WS_PATH } from './server/websocket-server';
import { WaSimModule } from './wa-sim.module';

export interface WaSimOptions {
  /** Directory for keys, phones, linked devices and Signal sessions; reuse it to keep creds valid. */
  stateDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Delay of automatic receipts (read follows delivery after the same delay). Default 250 ms. */
  receiptDelayMs?: number;
  /** Nest log levels; `false` silences the simulator (tests). */
  logger?: LogLevel[] | false;
  /** HTTPS media host port. Default `port + 1`, or a free port when `port` is 0. */
  mediaPort?: number;
  /** Name companions reach the media host by. Default `host`, or 127.0.0.1 when that is a wildcard. */
  mediaHostname?: string;
  /** Newest messages per chat in a new companion's initial history sync. Default 20. */
  historySyncMessagesPerChat?: number;
}

export interface RunningWaSim {
  /** Baileys' `waWebSocketUrl`. */
  wsUrl: string;
  /** Base URL of the control API (Swagger UI at `${controlUrl}/docs`). */
  controlUrl: string;
  /** Assign `Buffer.from(rootPublicKeyHex, 'hex')` to Baileys' `WA_CERT_DETAILS.PUBLIC_KEY`. */
  rootPublicKeyHex: string;
  /** Base URL of the HTTPS media host (uploads, downloads). */
  mediaUrl: string;
  /** The media host's CA (PEM, persisted in the state dir): NODE_EXTRA_CA_CERTS for other processes. */
  caCertificatePath: string;
  app: INestApplication;
  close(): Promise<void>;
}

/** Starts the simulator in this process: control API and WhatsApp WebSocket on one port. */
export async function startWaSim(options: WaSimOptions): Promise<RunningWaSim> {
  const port = options.port ?? 7010;
  const host = options.host ?? '127.0.0.1';
  const media = {
    port: options.mediaPort ?? (port === 0 ? 0 : port + 1),
    host,
    publicHostname: options.mediaHostname || (isWildcardHost(host) ? '127.0.0.1' : host),
  };
  const app = await NestFactory.create<NestExpressApplication>(
    WaSimModule.forRoot(
      { stateDir: options.stateDir, receiptDelayMs: options.receiptDelayMs ?? 250, historySyncMessagesPerChat: options.historySyncMessagesPerChat ?? 20 },
      media,
    ),
    { logger: options.logger ?? ['error', 'warn', 'log'] },
  );
  // Inbound media arrives base64 in JSON; the default 100 kB limit would refuse most files.
  app.useBodyParser('json', { limit: '64mb' });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: invalidPayload }));
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('WhatsApp simulator control API')
      .setDescription('Simulated phones, pairing, message traffic and faults for a local WhatsApp server that real Baileys connects to.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);

  const webSocketServer = app.get(SimWebSocketServer);
  webSocketServer.attach(app.getHttpServer());
  await app.listen(port, host);

  const address = app.getHttpServer().address() as AddressInfo;
  const base = `${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    wsUrl: `ws://${base}${WS_PATH}`,
    controlUrl: `http://${base}`,
    rootPublicKeyHex: app.get(ServerIdentityService).rootPublicKeyHex,
    mediaUrl: app.get(MediaHostServer).baseUrl,
    caCertificatePath: app.get(MediaIdentityService).caCertificatePath,
    app,
    async close() {
      await webSocketServer.close();
      await app.close();
    },
  };
}
