import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server } from 'node:http';
import request from 'supertest';
import type { UserRole } from '@app/contracts';
import type { AuthFixtures, Tenant } from './auth-fixtures';
import { PATH_PARAM_FIXTURES } from './route-isolation-fixtures';

/** An operation of the OpenAPI document with the access rules its extensions declare. */
export interface DocumentedOperation {
  method: string;
  path: string;
  isPublic: boolean;
  roles: UserRole[] | undefined;
  sessionParam: string | undefined;
  userParam: string | undefined;
  acceptsSessionToken: boolean;
  readOnlySafe: boolean;
  /** Answers with an endless event stream (text/event-stream): only its status and headers are read. */
  streams: boolean;
}

type Credential = { jwt: string } | { apiKey: string } | { bearer: string } | null;

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const READ_METHODS = new Set(['get', 'head', 'options']);
const DENIED = new Set([401, 403]);

function documentedOperations(document: { paths: Record<string, Record<string, Record<string, unknown>>> }): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method];
      const security = operation.security as Array<Record<string, unknown>> | undefined;
      return {
        method,
        path,
        isPublic: operation['x-public'] === true && Array.isArray(security) && security.every((r) => Object.keys(r).length === 0),
        roles: operation['x-required-roles'] as UserRole[] | undefined,
        sessionParam: operation['x-session-param'] as string | undefined,
        userParam: operation['x-user-param'] as string | undefined,
        acceptsSessionToken: operation['x-accepts-session-token'] === true,
        readOnlySafe: operation['x-read-only-safe'] === true,
        streams: Boolean((operation.responses as Record<string, { content?: Record<string, unknown> }> | undefined)?.['200']?.content?.['text/event-stream']),
      };
    }),
  );
}

/** The concrete URL of an operation for one tenant; fails, naming the fix, when a parameter has no fixture. */
function fillPath(operation: DocumentedOperation, tenant: Tenant): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value =
      name === operation.sessionParam ? tenant.session.id : name === operation.userParam ? tenant.user.id : PATH_PARAM_FIXTURES[name]?.(tenant, operation.path);
    if (value === undefined) {
      throw new Error(
        `No fixture for the path parameter {${name}} of ${operation.method.toUpperCase()} ${operation.path}: ` +
          `add an entry for "${name}" to PATH_PARAM_FIXTURES in test/support/route-isolation-fixtures.ts ` +
          '(and create the resource in AuthFixtures.tenant), or declare it with @SessionScoped/@UserScoped.',
      );
    }
    return encodeURIComponent(value);
  });
}

interface ExpressLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/**
 * Every route Express serves, as `METHOD /openapi/{style}` (Swagger's own pages left out): an
 * endpoint hidden from the document (@ApiExcludeEndpoint) would escape the isolation check.
 */
export function servedOperations(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  return express.router.stack.flatMap(({ route }) => {
    if (!route || typeof route.path !== 'string' || route.path.startsWith('/docs') || route.path.includes('*')) return [];
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    return Object.keys(route.methods).map((method) => `${method.toUpperCase()} ${path}`);
  });
}

/** Checks every operation of an app's /docs-json against the access rules; returns what went wrong. */
export class RouteIsolationChecker {
  private readonly server: Server;

  constructor(
    app: INestApplication,
    private readonly auth: AuthFixtures,
    private readonly adminJwt: string,
  ) {
    this.server = app.getHttpServer() as Server;
  }

  async operations(): Promise<DocumentedOperation[]> {
    const response = await request(this.server).get('/docs-json').expect(200);
    return documentedOperations(response.body as Parameters<typeof documentedOperations>[0]);
  }

  /** Every violation of every operation, as readable lines; empty when all hold. */
  async check(operations: DocumentedOperation[]): Promise<string[]> {
    const violations: string[] = [];
    for (const operation of operations) violations.push(...(await this.checkOperation(operation)));
    return violations;
  }

  private async checkOperation(op: DocumentedOperation): Promise<string[]> {
    const problems: string[] = [];
    const label = `${op.method.toUpperCase()} ${op.path}`;
    const expect = (
      who: string,
      status: number,
      body: unknown,
      wanted: 'denied-401' | 'forbidden-or-hidden' | 'forbidden' | 'allowed',
      leaks: string[] = [],
    ) => {
      const code = (body as { error?: { code?: string } } | undefined)?.error?.code;
      const got = `${status}${code ? ` ${code}` : ''}`;
      const ok =
        wanted === 'denied-401'
          ? status === 401
          : wanted === 'forbidden'
            ? status === 403
            : wanted === 'forbidden-or-hidden'
              ? status === 403 || status === 404
              : !DENIED.has(status) && code !== 'SESSION_NOT_FOUND' && code !== 'USER_NOT_FOUND';
      if (!ok) problems.push(`${label} — ${who}: expected ${wanted}, got ${got}`);
      const text = JSON.stringify(body ?? '');
      for (const secret of leaks) if (text.includes(secret)) problems.push(`${label} — ${who}: the response shows another tenant's ${secret}`);
    };

    // Refusals first (they must change nothing); the calls that may succeed get worlds of their own.
    const [owner, other, readonly] = await Promise.all([this.auth.tenant('user'), this.auth.tenant('user'), this.auth.tenant('readonly')]);
    const ownerUrl = fillPath(op, owner);
    const ownerAllowed = !op.roles || op.roles.includes('user');

    const anonymous = await this.call(op, ownerUrl, null);
    expect('anonymous', anonymous.status, anonymous.body, op.isPublic ? 'allowed' : 'denied-401');
    if (op.isPublic) return problems;

    const foreign = await this.call(op, ownerUrl, { jwt: other.jwt });
    const scoped = op.sessionParam || op.userParam || op.path.includes('{');
    if (!ownerAllowed) expect('another tenant', foreign.status, foreign.body, 'forbidden');
    else if (scoped) expect('another tenant', foreign.status, foreign.body, 'forbidden-or-hidden');
    else expect('another tenant', foreign.status, foreign.body, 'allowed', [owner.session.id, owner.user.id, owner.user.email]);

    const readonlyCall = await this.call(op, fillPath(op, readonly), { apiKey: readonly.apiKey.key });
    const readonlyMayWrite = READ_METHODS.has(op.method) || op.readOnlySafe;
    const readonlyAllowed = (!op.roles || op.roles.includes('readonly')) && readonlyMayWrite;
    expect('readonly user', readonlyCall.status, readonlyCall.body, readonlyAllowed ? 'allowed' : 'forbidden');

    const tokenCall = await this.call(op, ownerUrl, { bearer: owner.sessionToken.token });
    expect(
      'session token',
      tokenCall.status,
      tokenCall.body,
      op.acceptsSessionToken && ownerAllowed ? 'allowed' : op.acceptsSessionToken ? 'forbidden' : 'denied-401',
    );

    const byApiKey = await this.call(op, ownerUrl, { apiKey: owner.apiKey.key });
    expect('owner (API key)', byApiKey.status, byApiKey.body, ownerAllowed ? 'allowed' : 'forbidden');

    const jwtOwner = await this.auth.tenant('user');
    const byJwt = await this.call(op, fillPath(op, jwtOwner), { jwt: jwtOwner.jwt });
    expect('owner (JWT)', byJwt.status, byJwt.body, ownerAllowed ? 'allowed' : 'forbidden');

    const adminTarget = await this.auth.tenant('user');
    const byAdmin = await this.call(op, fillPath(op, adminTarget), { jwt: this.adminJwt });
    expect('admin', byAdmin.status, byAdmin.body, 'allowed');
    return problems;
  }

  private async call(op: DocumentedOperation, url: string, credential: Credential): Promise<{ status: number; body: unknown }> {
    let call = request(this.server)[op.method as 'get'](url).timeout(15_000);
    if (credential && 'jwt' in credential) call = call.set('authorization', `Bearer ${credential.jwt}`);
    if (credential && 'bearer' in credential) call = call.set('authorization', `Bearer ${credential.bearer}`);
    if (credential && 'apiKey' in credential) call = call.set('x-api-key', credential.apiKey);
    if (!READ_METHODS.has(op.method) && op.method !== 'delete') call = call.send({});
    if (op.streams) call = call.buffer(true).parse(statusOfStream);
    const response = await call;
    return { status: response.status, body: response.body };
  }
}

/**
 * Reads an event stream only as far as its answer: a refusal's JSON envelope in full, an opened
 * stream not at all (it never ends), which is closed at once.
 */
function statusOfStream(res: unknown, done: (error: Error | null, body: unknown) => void): void {
  // Its types say otherwise, but superagent hands a Node parser the IncomingMessage itself.
  const response = res as IncomingMessage;
  if (response.headers['content-type']?.startsWith('text/event-stream')) {
    response.destroy();
    done(null, null);
    return;
  }
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (text += chunk));
  response.on('end', () => done(null, text ? JSON.parse(text) : null));
}
