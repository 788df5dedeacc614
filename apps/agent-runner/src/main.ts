import { AgentRunnerConfig } from '@app/config';
import { runApp } from '@app/runtime';
import { AgentRunnerModule } from './agent-runner.module';

void runApp({
  name: 'agent-runner',
  config: AgentRunnerConfig,
  module: (config) => AgentRunnerModule.register(config),
  listen: (config) => ({ port: config.AGENT_RUNNER_METRICS_PORT, host: config.AGENT_RUNNER_METRICS_HOST }),
});
