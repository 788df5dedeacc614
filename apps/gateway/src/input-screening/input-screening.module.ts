import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { InputScreeningGuard } from './input-screening.guard';

/**
 * Registers the input screening guard. Global guards run in the order their modules are
 * registered: the gateway module imports this one before AuthModule, so it runs first.
 */
@Module({ providers: [{ provide: APP_GUARD, useClass: InputScreeningGuard }] })
export class InputScreeningModule {}
