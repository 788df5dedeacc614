import { Module } from '@nestjs/common';
import { DbModule, IdempotencyRepository } from '@app/db';
import { IdempotencyService } from './idempotency.service';

/** What `@Idempotent()` routes need, for the module that declares them to import. */
@Module({
  imports: [DbModule.forFeature([IdempotencyRepository])],
  providers: [IdempotencyService],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
