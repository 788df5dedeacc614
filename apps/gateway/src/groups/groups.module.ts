import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MediaModule } from '../media/media.module';
import { MessagesModule } from '../messages/messages.module';
import { GroupMessagesController } from './group-messages.controller';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';

/** Seed 002 groups: management through the session's worker, sends through the outbox. */
@Module({
  imports: [MessagesModule, MediaModule, IdempotencyModule],
  controllers: [GroupsController, GroupMessagesController],
  providers: [GroupsService],
})
export class GroupsModule {}
