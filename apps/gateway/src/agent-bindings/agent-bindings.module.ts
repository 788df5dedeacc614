import { Module } from '@nestjs/common';
import { AiBackendModule } from '@app/ai-backend';
import { AgentBindingsController } from './agent-bindings.controller';
import { AgentBindingsService } from './agent-bindings.service';

@Module({
  imports: [AiBackendModule],
  controllers: [AgentBindingsController],
  providers: [AgentBindingsService],
})
export class AgentBindingsModule {}
