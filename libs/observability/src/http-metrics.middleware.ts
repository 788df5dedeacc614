import { Injectable, NestMiddleware } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import type { Histogram } from 'prom-client';
import { METRICS } from './metric-names';
import { routeTemplate } from './route-template';

/**
 * Observes every HTTP request's duration under its route template (`/sessions/:id`, never the
 * concrete URL, so label cardinality stays bounded); unmatched paths share one label.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(@InjectMetric(METRICS.httpRequestDuration.name) private readonly duration: Histogram<string>) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const stop = this.duration.startTimer();
    res.on('finish', () => {
      const template = routeTemplate(req);
      const route = template ? `${req.baseUrl}${template}` : 'unmatched';
      stop({ method: req.method, route, status_code: String(res.statusCode) });
    });
    next();
  }
}
