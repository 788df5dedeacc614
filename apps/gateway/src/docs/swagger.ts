import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { GatewayConfig } from '@app/config';
import { documentRetryableErrors } from './retryable-errors.doc';
import { AUTH_EXTENSIONS } from '../credentials/auth.decorators';
import { API_KEY_HEADER } from '../credentials/credential-headers';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { METRICS_OPERATION_ID, operationIdFor } from './operation-ids';

const DOCS_PATH = 'docs';

/** Names of the security schemes in the document; every non-public operation accepts either. */
const SECURITY_SCHEMES = { bearer: 'bearer', apiKey: 'api-key' } as const;

const DESCRIPTION = `REST API of the WhatsApp multi-session gateway.

Every error answers with \`{ "error": { "code", "message", "traceId" } }\`; every response carries
the request's trace id in the \`x-request-id\` header (send your own \`x-request-id\` or
\`traceparent\` to correlate).

**Authentication.** Every operation needs a credential unless it says otherwise: a login token
(\`POST /auth/login\`) or a session token as \`Authorization: Bearer <token>\`, or an API key as
\`${API_KEY_HEADER}: <key>\`. Roles: \`admin\` (everything), \`user\` (own sessions and keys),
\`readonly\` (reads only). Each operation states its rules in vendor extensions: \`x-public\`,
\`x-required-roles\`, \`x-session-param\` / \`x-user-param\` (the path parameter naming the session or
account it acts on: someone else's answers 404), \`x-accepts-session-token\`, \`x-read-only-safe\`,
\`x-accepts-ticket\` (a live-events ticket in \`?ticket=\` instead of a credential header).

**Live events.** \`GET /events\` streams what happens to your sessions (Server-Sent Events); browsers
open it with a ticket from \`POST /events/tickets\`. Cross-origin browser calls need the page's
origin in the gateway's \`ALLOWED_ORIGINS\`.

**Rate limits.** \`API_RATE_LIMIT\` requests per \`API_RATE_WINDOW\` per API key, session token, user or
(anonymous) IP; over it the answer is \`RATE_LIMITED\` with the status the installation configured
(429 by default) and \`Retry-After\`. Login attempts are limited per email and IP.

**Retrying.** A 503 is always temporary and carries \`Retry-After\` (seconds): \`SERVICE_UNAVAILABLE\`
(PostgreSQL or Redis unreachable), \`SESSION_NOT_READY\` (the session is reconnecting or moving to
another worker), \`NO_WORKER_AVAILABLE\`, \`WORKER_NOT_OWNER\`, \`WORKER_TIMEOUT\`. Retry after that many
seconds; retry sends with the same \`Idempotency-Key\` so that none goes out twice. \`RATE_LIMITED\` and a
409 that carries \`Retry-After\` (the same Idempotency-Key still running) are retryable too; any other
4xx is not. Each operation lists its retryable codes in \`x-retryable-errors\`.

**Metrics.** \`GET /metrics\` (Prometheus text format) is public unless \`METRICS_TOKEN\` is set; then it
needs \`Authorization: Bearer <METRICS_TOKEN>\` or an admin credential.`;

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

type Operation = Record<string, unknown> & { responses?: Record<string, unknown> };

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ErrorEnvelopeDto.name}` } } },
});

/**
 * The access-control answers every operation can give, derived from the same rules the guards
 * enforce (the auth decorators' extensions), so no route has to repeat them.
 */
function documentAccessAnswers(document: OpenAPIObject): void {
  for (const pathItem of Object.values(document.paths)) {
    for (const [method, value] of Object.entries(pathItem)) {
      const operation = value as Operation;
      if (typeof operation !== 'object' || !operation.responses) continue;
      const answers: Record<string, ReturnType<typeof errorResponse>> = {
        429: errorResponse('RATE_LIMITED: over the rate limit (status set by RATE_LIMIT_STATUS_CODE)'),
      };
      if (!operation[AUTH_EXTENSIONS.public]) {
        answers[401] = errorResponse('UNAUTHORIZED: no credential, or an invalid, expired or revoked one');
        if (operation[AUTH_EXTENSIONS.roles] || (WRITE_METHODS.has(method) && !operation[AUTH_EXTENSIONS.readOnlySafe])) {
          answers[403] = errorResponse("FORBIDDEN: the caller's role may not call this (readonly users only read)");
        }
        if (operation[AUTH_EXTENSIONS.sessionParam]) answers[404] = errorResponse("SESSION_NOT_FOUND: no such session, or not the caller's");
        if (operation[AUTH_EXTENSIONS.userParam]) answers[404] = errorResponse('USER_NOT_FOUND: no such user, or not the caller');
      }
      operation.responses = { ...answers, ...operation.responses };
    }
  }
}

/**
 * /metrics comes from @willsoto/nestjs-prometheus and cannot carry our decorators: its rule depends
 * on METRICS_TOKEN, so it is written here, in the same extensions the decorators use.
 */
function documentMetricsAccess(document: OpenAPIObject, metricsTokenSet: boolean): void {
  for (const pathItem of Object.values(document.paths)) {
    const operation = pathItem.get as Operation | undefined;
    if (!operation || operation.operationId !== METRICS_OPERATION_ID) continue;
    operation.summary = 'Prometheus metrics (text format)';
    if (metricsTokenSet) {
      operation.description = 'Needs `Authorization: Bearer <METRICS_TOKEN>` or an admin credential.';
      operation[AUTH_EXTENSIONS.roles] = ['admin'];
    } else {
      operation.security = [{}];
      operation[AUTH_EXTENSIONS.public] = true;
    }
  }
}

/**
 * The OpenAPI document, built from the controllers' decorators. Needs no running database or
 * Redis (`npm run openapi` builds it from an app in preview mode); `settings` decide the parts
 * that depend on configuration (the registration route's rules, /metrics access).
 */
export function buildOpenApiDocument(app: INestApplication, settings: Pick<GatewayConfig, 'METRICS_TOKEN'>): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('WhatsApp Gateway API')
    .setDescription(DESCRIPTION)
    .setVersion('1.0')
    // Relative: the document describes whichever gateway serves it (and openapi.json any gateway).
    .addServer('/')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT or session token',
        description: 'Login token from POST /auth/login, or a session token (on operations with x-accepts-session-token)',
      },
      SECURITY_SCHEMES.bearer,
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER, description: 'A user API key (or ADMIN_API_KEY)' }, SECURITY_SCHEMES.apiKey)
    // Default deny, documented: every operation needs one of the two unless it overrides this (x-public).
    .addSecurityRequirements(SECURITY_SCHEMES.bearer)
    .addSecurityRequirements(SECURITY_SCHEMES.apiKey)
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorEnvelopeDto], operationIdFactory: operationIdFor });
  documentMetricsAccess(document, Boolean(settings.METRICS_TOKEN));
  documentAccessAnswers(document);
  documentRetryableErrors(document);
  return document;
}

/** Swagger UI at /docs and the OpenAPI JSON at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  const document = buildOpenApiDocument(app, app.get(GatewayConfig));
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}-json` });
}
