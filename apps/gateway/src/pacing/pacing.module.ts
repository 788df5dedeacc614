import { Module } from '@nestjs/common';
import { PacingController } from './pacing.controller';
import { PacingService } from './pacing.service';

@Module({ controllers: [PacingController], providers: [PacingService] })
export class PacingModule {}
