import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../credentials/auth.decorators';
import { TraceId } from '../http/trace-id.decorator';
import { GatewayHealthIndicators } from './health.indicators';

/** Terminus' report plus seed 003's fields (`uptime` in seconds, `timestamp`, `traceId`). */
type HealthReport = HealthCheckResult & { uptime: number; timestamp: string; traceId: string };

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: GatewayHealthIndicators,
  ) {}

  /**
   * Readiness in Terminus' shape (what load balancers and uptime checks parse): 200 when
   * PostgreSQL, Redis and at least one session worker are up, 503 with the failing parts otherwise.
   */
  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness of the database, Redis and the session workers' })
  @ApiOkResponse({ description: 'Everything is up' })
  @ApiServiceUnavailableResponse({ description: 'Something the gateway needs is down; `error` names it' })
  async check(@TraceId() traceId: string, @Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    try {
      const result = await this.health.check([() => this.indicators.database(), () => this.indicators.redisServer(), () => this.indicators.workers()]);
      return { ...result, ...processFacts(), traceId };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return { ...(error.getResponse() as HealthCheckResult), ...processFacts(), traceId };
    }
  }

  /**
   * Liveness: this process answers HTTP. It checks no dependency on purpose: restarting gateways
   * does not bring PostgreSQL, Redis or the workers back, so their outages belong to readiness.
   */
  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness of the gateway process itself (no dependency is checked)' })
  @ApiOkResponse({ description: 'The process is running and serving requests' })
  live(@TraceId() traceId: string): { status: 'ok'; traceId: string } {
    return { status: 'ok', traceId };
  }
}

function processFacts(): { uptime: number; timestamp: string } {
  return { uptime: Math.round(process.uptime()), timestamp: new Date().toISOString() };
}
