import { Module } from '@nestjs/common';
import { HistoryRecorder } from './history.recorder';

@Module({ providers: [HistoryRecorder], exports: [HistoryRecorder] })
export class HistoryModule {}
