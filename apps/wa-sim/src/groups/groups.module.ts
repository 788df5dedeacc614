import { Module } from '@nestjs/common';
import { GroupActions } from './group-actions.service';
import { GroupIqHandler } from './group-iq.handler';
import { GroupMessaging } from './group-messaging.service';
import { GroupNotifier } from './group-notifier.service';
import { GroupReceipts } from './group-receipts.service';
import { GroupRegistry } from './group-registry.service';
import { GroupsController } from './groups.controller';
import { SenderKeyStore } from './sender-key-store.service';

/** Groups on top of the core services: `w:g2` iqs, `w:gp2` notifications, sender-key messages, control routes. */
@Module({
  providers: [GroupRegistry, SenderKeyStore, GroupNotifier, GroupActions, GroupReceipts, GroupMessaging, GroupIqHandler],
  controllers: [GroupsController],
})
export class GroupsModule {}
