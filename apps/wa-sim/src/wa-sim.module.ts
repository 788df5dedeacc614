import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AccountsController } from './accounts/accounts.controller';
import { DeviceLinksService } from './accounts/device-links.service';
import { PhoneRegistry } from './accounts/phone-registry.service';
import { UsyncHandler } from './accounts/usync.handler';
import { InfoController } from './control/info.controller';
import { FaultsController } from './faults/faults.controller';
import { FaultsService } from './faults/faults.service';
import { GroupsModule } from './groups/groups.module';
import { HistoryModule } from './history/history.module';
import { MediaModule } from './media/media.module';
import type { MediaOptions } from './media/media.options';
import { DeliveryService } from './messaging/delivery.service';
import { MessageLog } from './messaging/message-log.service';
import { MessagesController } from './messaging/messages.controller';
import { OutboundMessageHandler } from './messaging/outbound-message.handler';
import { ReceiptsService } from './messaging/receipts.service';
import { DeviceLinker } from './pairing/device-linker.service';
import { PairingCodeService } from './pairing/pairing-code.service';
import { PairingController } from './pairing/pairing.controller';
import { PairingService } from './pairing/pairing.service';
import { ServerIdentityService } from './persistence/server-identity.service';
import { SIM_OPTIONS, SimStateStore, type SimOptions } from './persistence/sim-state-store';
import { ConnectionRegistry } from './server/connection-registry.service';
import { StanzaRouter } from './server/stanza-router.service';
import { SimWebSocketServer } from './server/websocket-server';
import { LoginService } from './session/login.service';
import { PrivacyTokensLedger } from './session/privacy-tokens.ledger';
import { SessionQueriesHandler } from './session/session-queries.handler';
import { PhoneSignalService } from './signal/phone-signal.service';
import { PrekeysHandler } from './signal/prekeys.handler';

/**
 * The services feature modules build on, global so a module added to WaSimModule's imports
 * (groups, media, …) can inject them: StanzaRouter to handle stanzas, PhoneRegistry for phones and
 * devices, PhoneSignalService for pairwise crypto, DeliveryService to send to companions,
 * OutboundMessageHandler.onDestination to take messages for a JID server, MessageLog to record.
 */
const CORE_SERVICES = [
  SimStateStore,
  ServerIdentityService,
  StanzaRouter,
  ConnectionRegistry,
  SimWebSocketServer,
  PhoneRegistry,
  PhoneSignalService,
  DeviceLinksService,
  DeviceLinker,
  PairingService,
  MessageLog,
  ReceiptsService,
  DeliveryService,
  OutboundMessageHandler,
  PrivacyTokensLedger,
];

/** Services that only register stanza handlers. */
const HANDLERS = [LoginService, SessionQueriesHandler, PrekeysHandler, UsyncHandler, PairingCodeService, FaultsService];

@Global()
@Module({})
class SimCoreModule {
  static forRoot(options: SimOptions): DynamicModule {
    const providers = [
      { provide: SIM_OPTIONS, useValue: options },
      { provide: SimStateStore, useFactory: (opts: SimOptions) => new SimStateStore(opts.stateDir), inject: [SIM_OPTIONS] },
      ...CORE_SERVICES.filter((service) => service !== SimStateStore),
    ];
    return { module: SimCoreModule, providers, exports: [SIM_OPTIONS, ...CORE_SERVICES] };
  }
}

@Module({})
export class WaSimModule {
  static forRoot(options: SimOptions, media: MediaOptions): DynamicModule {
    return {
      module: WaSimModule,
      imports: [SimCoreModule.forRoot(options), GroupsModule, MediaModule.forRoot(media), HistoryModule],
      providers: HANDLERS,
      controllers: [InfoController, AccountsController, PairingController, MessagesController, FaultsController],
    };
  }
}
