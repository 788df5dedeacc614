import { Module } from '@nestjs/common';
import { DbModule, OutboxCensusRepository, SessionRepository } from '@app/db';
import { outboxMessagesMetric, sessionsUnplacedMetric } from './placement.metrics';
import { PlacementCensus } from './placement-census.service';
import { WorkersController } from './workers.controller';
import { WorkersService } from './workers.service';

@Module({
  imports: [DbModule.forFeature([OutboxCensusRepository, SessionRepository])],
  controllers: [WorkersController],
  // The census-based gauges are provided here, next to what they read at each scrape.
  providers: [WorkersService, PlacementCensus, sessionsUnplacedMetric, outboxMessagesMetric],
  exports: [WorkersService, PlacementCensus],
})
export class WorkersModule {}
