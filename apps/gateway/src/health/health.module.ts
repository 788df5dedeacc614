import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { WorkersModule } from '../workers/workers.module';
import { GatewayHealthIndicators } from './health.indicators';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), WorkersModule],
  controllers: [HealthController],
  providers: [GatewayHealthIndicators],
})
export class HealthModule {}
