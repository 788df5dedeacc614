import { Module } from '@nestjs/common';
import { DbModule, SessionPacingRepository } from '@app/db';
import { PacingController } from './pacing.controller';
import { PacingService } from './pacing.service';

@Module({ imports: [DbModule.forFeature([SessionPacingRepository])], controllers: [PacingController], providers: [PacingService] })
export class PacingModule {}
