/**
 * The server side of the HTTP platform benchmark (bench/http-platform.bench.ts): a Nest app shaped
 * like a send route (a guard reading a credential header, a whitelisting ValidationPipe over a
 * DTO, a route parameter, a JSON answer) on Express or Fastify, in a process of its own so its CPU
 * is measured alone. Argument: `express` or `fastify`, then the port; prints `ready` when listening.
 */
import 'reflect-metadata';
import { Body, CanActivate, Controller, ExecutionContext, Injectable, Module, Param, Post, UseGuards, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { IsOptional, IsString, MaxLength } from 'class-validator';

class SendTextBody {
  @IsString() @MaxLength(64) to!: string;
  @IsString() @MaxLength(4096) message!: string;
  @IsOptional() @IsString() quotedMessageId?: string;
}

@Injectable()
class CredentialGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    return typeof request.headers['x-api-key'] === 'string';
  }
}

@Controller('agents/:id')
class SendController {
  @Post('messages')
  @UseGuards(CredentialGuard)
  send(@Param('id') sessionId: string, @Body() body: SendTextBody) {
    return { delivered: true, sessionId, to: body.to, status: 'sent' };
  }
}

@Module({ controllers: [SendController] })
class PlatformBenchModule {}

async function main(): Promise<void> {
  const [platform, port] = [process.argv[2], Number(process.argv[3])];
  const app =
    platform === 'fastify'
      ? await NestFactory.create(PlatformBenchModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(PlatformBenchModule, { logger: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  await app.listen(port, '127.0.0.1');
  process.stdout.write('ready\n');
}

void main();
