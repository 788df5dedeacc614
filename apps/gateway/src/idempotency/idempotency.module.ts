import { Module } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service';

/** What `@Idempotent()` routes need, for the module that declares them to import. */
@Module({
  providers: [IdempotencyService],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
