import 'reflect-metadata';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ClassConstructor } from 'class-transformer';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '@app/config';

export interface AppDefinition<C extends object> {
  name: string;
  config: ClassConstructor<C>;
  module: (config: C) => DynamicModule;
  /** Where the app's HTTP server (API or metrics) listens. */
  listen: (config: C) => { port: number; host: string };
  /** Extra set-up between creation and listening (global pipes, transports …). */
  configure?: (app: INestApplication, config: C) => Promise<void>;
}

/**
 * The one start-up sequence of every app: validate config (exit naming the variable), build the
 * module, log through pino, stop cleanly on SIGTERM/SIGINT, and exit non-zero if start-up fails.
 */
export async function runApp<C extends object>(definition: AppDefinition<C>): Promise<INestApplication> {
  const config = loadConfigOrExit(definition.config, definition.name);
  try {
    const app = await NestFactory.create(definition.module(config), { bufferLogs: true });
    app.useLogger(app.get(Logger));
    app.enableShutdownHooks();
    await definition.configure?.(app, config);
    const { port, host } = definition.listen(config);
    await app.listen(port, host);
    return app;
  } catch (error) {
    process.stderr.write(`[${definition.name}] failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  }
}
