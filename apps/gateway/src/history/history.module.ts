import { Module } from '@nestjs/common';
import { MessageHistoryController, SessionChatsController } from './history.controller';
import { HistoryService } from './history.service';

@Module({ controllers: [SessionChatsController, MessageHistoryController], providers: [HistoryService] })
export class HistoryModule {}
