import type { ClassConstructor } from 'class-transformer';
import { AgentRunnerConfig } from './agent-runner.config';
import type { CoreConfig } from './core.config';
import { GatewayConfig } from './gateway.config';
import { LauncherConfig } from './launcher.config';
import { ConfigValidationError, loadConfig } from './load-config';
import { SchedulerConfig } from './scheduler.config';
import { SessionWorkerConfig } from './session-worker.config';

const BASE = { DATABASE_URL: 'postgresql://x', ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 's'.repeat(32) };

describe('LOG_FORMAT', () => {
  const apps: Array<[string, ClassConstructor<CoreConfig>]> = [
    ['gateway', GatewayConfig],
    ['session-worker', SessionWorkerConfig],
    ['agent-runner', AgentRunnerConfig],
    ['scheduler', SchedulerConfig],
  ];

  it.each(apps)('is json by default for the %s (services and containers log JSON)', (_app, schema) => {
    expect(loadConfig(schema, BASE).LOG_FORMAT).toBe('json');
  });

  it('is auto by default for npm start and npm run sandbox (readable in a terminal)', () => {
    expect(loadConfig(LauncherConfig, BASE).LOG_FORMAT).toBe('auto');
  });

  it.each(['json', 'pretty', 'auto'])('accepts %s', (format) => {
    expect(loadConfig(GatewayConfig, { ...BASE, LOG_FORMAT: format }).LOG_FORMAT).toBe(format);
    expect(loadConfig(LauncherConfig, { ...BASE, LOG_FORMAT: format }).LOG_FORMAT).toBe(format);
  });

  it('rejects anything else, naming the variable and the choices', () => {
    for (const schema of [GatewayConfig, LauncherConfig] as Array<ClassConstructor<CoreConfig>>) {
      const rejection = (() => {
        try {
          loadConfig(schema, { ...BASE, LOG_FORMAT: 'text' });
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(rejection).toBeInstanceOf(ConfigValidationError);
      expect((rejection as ConfigValidationError).problems).toEqual([expect.stringMatching(/^LOG_FORMAT: .*json, pretty, auto/)]);
    }
  });
});
