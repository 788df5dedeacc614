import { IsInt, IsOptional, Matches, Min } from 'class-validator';
import { ConfigValidationError, loadConfig } from './load-config';
import { ToBoolean, ToList, ToNumber } from './env-transforms';
import { GatewayConfig } from './gateway.config';

class SampleConfig {
  @Matches(/^postgres/) DATABASE_URL!: string;
  @ToNumber() @IsInt() @Min(1) PORT = 3000;
  @IsOptional() @ToBoolean() FLAG?: boolean;
  @IsOptional() @ToList() NAMES?: string[];
}

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(SampleConfig, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
};

describe('loadConfig', () => {
  it('applies defaults and converts types', () => {
    const config = loadConfig(SampleConfig, { DATABASE_URL: 'postgresql://x', FLAG: 'yes', NAMES: ' a, b ,,c ' });
    expect(config).toBeInstanceOf(SampleConfig);
    expect(config.PORT).toBe(3000);
    expect(config.FLAG).toBe(true);
    expect(config.NAMES).toEqual(['a', 'b', 'c']);
  });

  it('names a missing required variable', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^DATABASE_URL: /)]);
  });

  it('names a variable whose value has the wrong type', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgresql://x', PORT: 'eighty' });
    expect(problems).toContain('PORT: must be an integer number');
    expect(problems.every((problem) => problem.startsWith('PORT: '))).toBe(true);
  });

  it('treats an empty value as unset, so the default applies', () => {
    expect(loadConfig(SampleConfig, { DATABASE_URL: 'postgresql://x', PORT: '' }).PORT).toBe(3000);
  });

  it('ignores variables the schema does not declare', () => {
    const config = loadConfig(SampleConfig, { DATABASE_URL: 'postgresql://x', HOME: '/root' });
    expect(Object.keys(config)).not.toContain('HOME');
  });

  it('rejects an encryption key of the wrong length in every app config', () => {
    expect(() => loadConfig(GatewayConfig, { DATABASE_URL: 'postgresql://x', ENCRYPTION_KEY: 'abc' })).toThrow(/ENCRYPTION_KEY: must be 64 hex characters/);
  });
});
