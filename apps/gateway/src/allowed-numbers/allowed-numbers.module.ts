import { Module } from '@nestjs/common';
import { AllowedNumbersController } from './allowed-numbers.controller';
import { AllowedNumbersService } from './allowed-numbers.service';

@Module({ controllers: [AllowedNumbersController], providers: [AllowedNumbersService] })
export class AllowedNumbersModule {}
