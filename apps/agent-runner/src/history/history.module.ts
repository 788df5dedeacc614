import { Module } from '@nestjs/common';
import { AllowedNumberRepository, DbModule, MessageHistoryRepository, OutboundMessageRepository, SessionRepository } from '@app/db';
import { HistoryRecorder } from './history.recorder';

@Module({
  imports: [DbModule.forFeature([AllowedNumberRepository, MessageHistoryRepository, OutboundMessageRepository, SessionRepository])],
  providers: [HistoryRecorder],
  exports: [HistoryRecorder],
})
export class HistoryModule {}
