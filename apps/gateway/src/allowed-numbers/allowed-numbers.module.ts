import { Module } from '@nestjs/common';
import { AllowedNumberRepository, DbModule, SessionRepository } from '@app/db';
import { AllowedNumbersController } from './allowed-numbers.controller';
import { AllowedNumbersService } from './allowed-numbers.service';

@Module({
  imports: [DbModule.forFeature([AllowedNumberRepository, SessionRepository])],
  controllers: [AllowedNumbersController],
  providers: [AllowedNumbersService],
})
export class AllowedNumbersModule {}
