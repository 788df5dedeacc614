import { LauncherConfig, loadConfig } from '@app/config';
import { appEnvironment } from './suite-processes';

const BASE = { DATABASE_URL: 'postgresql://x', ENCRYPTION_KEY: 'a'.repeat(64) };
const launcherWith = (env: Record<string, string> = {}) => loadConfig(LauncherConfig, { ...BASE, ...env });

describe("the apps' environment under the launcher", () => {
  it('gives the apps readable lines when the launcher writes to a terminal, JSON when it writes to a pipe or file', () => {
    expect(appEnvironment(launcherWith(), BASE, true).LOG_FORMAT).toBe('pretty');
    expect(appEnvironment(launcherWith(), BASE, false).LOG_FORMAT).toBe('json');
  });

  it('passes an explicit LOG_FORMAT through whatever the output is', () => {
    expect(appEnvironment(launcherWith({ LOG_FORMAT: 'json' }), BASE, true).LOG_FORMAT).toBe('json');
    expect(appEnvironment(launcherWith({ LOG_FORMAT: 'pretty' }), BASE, false).LOG_FORMAT).toBe('pretty');
  });

  it('hands every other variable over unchanged', () => {
    const env = { ...BASE, LOG_FORMAT: 'auto', REDIS_PREFIX: 'wagw-dev' };
    expect(appEnvironment(launcherWith(env), env, false)).toEqual({ ...BASE, REDIS_PREFIX: 'wagw-dev', LOG_FORMAT: 'json' });
  });
});
