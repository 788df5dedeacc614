import { ValidationPipe, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PinoLogger } from 'nestjs-pino';
import { GatewayConfig } from '@app/config';
import { corsOptionsFor } from './cors/cors.options';
import { setupSwagger } from './docs/swagger';
import { AppExceptionFilter } from './errors/app-exception.filter';
import { invalidPayload } from './errors/validation-errors';
import { mediaJsonBodyLimit } from './media/media-intake.types';

/**
 * Everything global about the gateway's HTTP surface, in one place so the process entry point
 * and in-process tests build exactly the same application.
 */
export async function configureGateway(app: INestApplication): Promise<void> {
  // Base64 media travels in JSON bodies: allow the largest accepted media, not Express' 100 kB.
  const config = app.get(GatewayConfig);
  const cors = corsOptionsFor(config.ALLOWED_ORIGINS);
  if (cors) app.enableCors(cors);
  (app as NestExpressApplication).useBodyParser('json', { limit: mediaJsonBodyLimit(config.MEDIA_MAX_BYTES) });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: invalidPayload,
    }),
  );
  app.useGlobalFilters(new AppExceptionFilter(await app.resolve(PinoLogger)));
  setupSwagger(app);
}
