import { ConfigValidationError, loadConfig } from './load-config';
import { GatewayConfig, jwtExpirySeconds } from './gateway.config';

const BASE = { DATABASE_URL: 'postgresql://x', ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 's'.repeat(32) };

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(GatewayConfig, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
};

describe('GatewayConfig (auth and rate limits)', () => {
  it('needs a JWT secret of at least 32 bytes', () => {
    expect(problemsOf({ ...BASE, JWT_SECRET: undefined })).toContainEqual(expect.stringMatching(/^JWT_SECRET: must be at least 32 bytes/));
    expect(problemsOf({ ...BASE, JWT_SECRET: 's'.repeat(31) })).toContainEqual(expect.stringMatching(/^JWT_SECRET: /));
  });

  it('has safe defaults', () => {
    const config = loadConfig(GatewayConfig, BASE);
    expect(config).toMatchObject({
      REGISTRATION_MODE: 'admin',
      JWT_EXPIRES_IN: '12h',
      API_RATE_LIMIT: 100,
      API_RATE_WINDOW: 60_000,
      RATE_LIMIT_WHITELIST: [],
      RATE_LIMIT_STATUS_CODE: 429,
      LOGIN_RATE_LIMIT: 10,
      LOGIN_RATE_WINDOW: 900_000,
    });
    expect(config.ADMIN_API_KEY).toBeUndefined();
    expect(config.METRICS_TOKEN).toBeUndefined();
    expect(jwtExpirySeconds(config)).toBe(43_200);
  });

  it('reads durations, lists and modes', () => {
    const config = loadConfig(GatewayConfig, { ...BASE, JWT_EXPIRES_IN: '7d', RATE_LIMIT_WHITELIST: '127.0.0.1, ::1', REGISTRATION_MODE: 'open' });
    expect(jwtExpirySeconds(config)).toBe(604_800);
    expect(jwtExpirySeconds(loadConfig(GatewayConfig, { ...BASE, JWT_EXPIRES_IN: '90' }))).toBe(90);
    expect(config.RATE_LIMIT_WHITELIST).toEqual(['127.0.0.1', '::1']);
    expect(config.REGISTRATION_MODE).toBe('open');
  });

  it('names each bad auth or rate-limit setting', () => {
    const problems = problemsOf({
      ...BASE,
      JWT_EXPIRES_IN: '12 hours',
      REGISTRATION_MODE: 'everyone',
      ADMIN_API_KEY: 'short',
      RATE_LIMIT_WHITELIST: '127.0.0.1,localhost',
      RATE_LIMIT_STATUS_CODE: '200',
      API_RATE_LIMIT: '0',
    });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'ADMIN_API_KEY',
      'API_RATE_LIMIT',
      'JWT_EXPIRES_IN',
      'RATE_LIMIT_STATUS_CODE',
      'RATE_LIMIT_WHITELIST',
      'REGISTRATION_MODE',
    ]);
  });

  it('reads CORS origins: none by default, exact origins or *, nothing with a path', () => {
    expect(loadConfig(GatewayConfig, BASE).ALLOWED_ORIGINS).toEqual([]);
    const config = loadConfig(GatewayConfig, { ...BASE, ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:5173' });
    expect(config.ALLOWED_ORIGINS).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(loadConfig(GatewayConfig, { ...BASE, ALLOWED_ORIGINS: '*' }).ALLOWED_ORIGINS).toEqual(['*']);
    for (const bad of ['https://app.example.com/', 'app.example.com', 'https://app.example.com/path', 'ftp://files.example.com']) {
      expect(problemsOf({ ...BASE, ALLOWED_ORIGINS: bad })).toContainEqual(
        expect.stringMatching(/^ALLOWED_ORIGINS: must be a comma-separated list of origins/),
      );
    }
  });
});
