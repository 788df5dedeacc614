import { Module, type DynamicModule } from '@nestjs/common';
import { InboundMediaService } from './inbound-media.service';
import { MediaBlobStore } from './media-blob.store';
import { MediaConnHandler } from './media-conn.handler';
import { MediaHostServer } from './media-host.server';
import { MediaIdentityService } from './media-identity.service';
import { MediaController } from './media.controller';
import { MEDIA_OPTIONS, type MediaOptions } from './media.options';
import { SentMediaService } from './sent-media.service';

/**
 * Media: `media_conn`, the HTTPS media host with the simulator's own persisted CA, the
 * recipient phone verifying and decrypting what companions send, and encrypted media for
 * inbound messages. Builds on the global core services (StanzaRouter, MessageLog, SimStateStore).
 */
@Module({})
export class MediaModule {
  static forRoot(options: MediaOptions): DynamicModule {
    return {
      module: MediaModule,
      providers: [
        { provide: MEDIA_OPTIONS, useValue: options },
        MediaIdentityService,
        MediaBlobStore,
        MediaHostServer,
        MediaConnHandler,
        SentMediaService,
        InboundMediaService,
      ],
      controllers: [MediaController],
      exports: [MediaHostServer, MediaIdentityService, InboundMediaService],
    };
  }
}
