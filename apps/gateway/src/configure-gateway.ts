import { ValidationPipe, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PinoLogger } from 'nestjs-pino';
import { GatewayConfig } from '@app/config';
import { defaultConsoleDir, serveConsole } from './console/console-assets';
import { corsOptionsFor } from './cors/cors.options';
import { setupSwagger } from './docs/swagger';
import { AppExceptionFilter } from './errors/app-exception.filter';
import { answerMalformedRequests } from './errors/malformed-request.handler';
import { invalidPayload } from './errors/validation-errors';
import { applyBodyLimits } from './http/request-limits';
import { DocumentedNullsPipe } from './input-screening/documented-nulls.pipe';
import { securityHeaders } from './http/security-headers';

/**
 * Everything global about the gateway's HTTP surface, in one place so the process entry point
 * and in-process tests build exactly the same application.
 */
export async function configureGateway(app: INestApplication): Promise<void> {
  const config = app.get(GatewayConfig);
  const express = app as NestExpressApplication;
  const cors = corsOptionsFor(config.ALLOWED_ORIGINS);
  if (cors) app.enableCors(cors);
  const logger = await app.resolve<PinoLogger>(PinoLogger);
  express.use(securityHeaders());
  if (config.CONSOLE_ENABLED && !serveConsole(express, defaultConsoleDir())) {
    logger.warn('the web console is not built (npm run build): /console is not served');
  }
  applyBodyLimits(express, { defaultLimit: config.REQUEST_BODY_LIMIT_BYTES, maxMediaBytes: config.MEDIA_MAX_BYTES });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: invalidPayload,
    }),
    new DocumentedNullsPipe(),
  );
  app.useGlobalFilters(new AppExceptionFilter(logger));
  answerMalformedRequests(express);
  setupSwagger(app);
}
