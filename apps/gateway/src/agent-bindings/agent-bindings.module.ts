import { Module } from '@nestjs/common';
import { AiBackendModule } from '@app/ai-backend';
import { AgentSettingsRepository, ChatbotBindingRepository, DbModule } from '@app/db';
import { AgentBindingsController } from './agent-bindings.controller';
import { AgentBindingsService } from './agent-bindings.service';

@Module({
  imports: [DbModule.forFeature([AgentSettingsRepository, ChatbotBindingRepository]), AiBackendModule],
  controllers: [AgentBindingsController],
  providers: [AgentBindingsService],
})
export class AgentBindingsModule {}
