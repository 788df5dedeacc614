import { Controller, Get, Param, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { DbModule, SessionRepository } from '@app/db';
import { AuthFixtures } from '../../../../test/support/auth-fixtures';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { RouteIsolationChecker, type DocumentedOperation } from '../../../../test/support/route-isolation';
import { AcceptsSessionToken, ReadOnlySafe, SessionScoped } from '../credentials/auth.decorators';

/** Routes as other engineers will write them: correctly decorated… */
@Controller('probe-agents/:id')
class AgentProbeController {
  @Post('send')
  @SessionScoped('id')
  @AcceptsSessionToken()
  send(@Param('id') id: string) {
    return { sessionId: id, sent: true };
  }
}

@Controller('probe-sessions/:id')
class LookupProbeController {
  @Post('lookup')
  @SessionScoped('id')
  @ReadOnlySafe()
  lookup() {
    return { found: true };
  }
}

/** …and with the mistakes the checker exists to catch. */
@Controller()
class MistakesController {
  constructor(private readonly sessions: SessionRepository) {}

  @Get('sessions/:id/probe-unscoped')
  forgotSessionScope(@Param('id') id: string) {
    return { id };
  }

  @Get('probe-all-sessions')
  async listsEveryone() {
    return (await this.sessions.list({})).map((session) => session.id);
  }

  @Get('probe-widgets/:widgetId')
  unknownParameter(@Param('widgetId') widgetId: string) {
    return { widgetId };
  }
}

/** The isolation test must be able to fail: these prove it does, and that it understands every rule. */
describe('the route isolation checker', () => {
  const fixtures = new DbFixtures();
  let app: INestApplication;
  let checker: RouteIsolationChecker;
  let operations: DocumentedOperation[];
  const only = (prefix: string) => operations.filter((op) => op.path.startsWith(prefix));

  beforeAll(async () => {
    app = await createGatewayApp({}, [AgentProbeController, LookupProbeController, MistakesController], [DbModule.forFeature([SessionRepository])]);
    const admin = await fixtures.user({ role: 'admin' });
    const auth = new AuthFixtures(app, fixtures);
    checker = new RouteIsolationChecker(app, auth, await auth.jwtFor(admin.id));
    operations = await checker.operations();
  });

  afterAll(async () => {
    await app.close();
    await fixtures.close();
  });

  it('reads each rule from the document', () => {
    expect(only('/probe-agents')).toEqual([expect.objectContaining({ method: 'post', sessionParam: 'id', acceptsSessionToken: true, isPublic: false })]);
    expect(only('/probe-sessions')).toEqual([expect.objectContaining({ method: 'post', sessionParam: 'id', readOnlySafe: true })]);
  });

  it('passes session-token and read-only-safe routes that are decorated correctly', async () => {
    expect(await checker.check([...only('/probe-agents'), ...only('/probe-sessions')])).toEqual([]);
  });

  it('reports a session route that forgot @SessionScoped', async () => {
    const violations = await checker.check(operations.filter((op) => op.path.endsWith('/probe-unscoped')));
    expect(violations).toContainEqual(expect.stringMatching(/^GET \/sessions\/\{id\}\/probe-unscoped — another tenant: expected forbidden-or-hidden, got 200/));
  });

  it("reports a listing that shows another tenant's resources", async () => {
    const violations = await checker.check(only('/probe-all-sessions'));
    expect(violations).toContainEqual(expect.stringMatching(/another tenant: the response shows another tenant's s-/));
  });

  it('fails, naming the fix, for a path parameter without a fixture', async () => {
    await expect(checker.check(only('/probe-widgets'))).rejects.toThrow(
      /No fixture for the path parameter \{widgetId\} of GET \/probe-widgets\/\{widgetId\}: add an entry for "widgetId" to PATH_PARAM_FIXTURES/,
    );
  });
});
