import { Module } from '@nestjs/common';
import { DbModule, MessageHistoryRepository } from '@app/db';
import { MessageHistoryController, SessionChatsController } from './history.controller';
import { HistoryService } from './history.service';

@Module({
  imports: [DbModule.forFeature([MessageHistoryRepository])],
  controllers: [SessionChatsController, MessageHistoryController],
  providers: [HistoryService],
})
export class HistoryModule {}
