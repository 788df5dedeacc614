import { Module } from '@nestjs/common';
import { DbModule, SessionPacingRepository } from '@app/db';
import { SendPacer } from './send-pacer.service';

/**
 * SendPacer for the processes that send (session workers). Separate from RedisModule because its
 * settings live in SendingConfig, which not every app's config extends.
 */
@Module({
  imports: [DbModule.forFeature([SessionPacingRepository])],
  providers: [SendPacer],
  exports: [SendPacer],
})
export class SendPacingModule {}
