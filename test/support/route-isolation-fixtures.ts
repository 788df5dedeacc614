import type { Tenant } from './auth-fixtures';

/**
 * How the route isolation test fills a path parameter: with a resource of the tenant making the
 * request, created by `AuthFixtures.tenant` in auth-fixtures.ts. Parameters named by an operation's
 * `x-session-param` / `x-user-param` are filled automatically (the tenant's session / account).
 *
 * A route with any other parameter fails the test until it has an entry here. When you add one,
 * also create the resource in `AuthFixtures.tenant` (one per tenant, owned by that tenant's user).
 */
export const PATH_PARAM_FIXTURES: Record<string, (tenant: Tenant, path: string) => string | undefined> = {
  // `{id}` names the resource of the path's first segment.
  id: (tenant, path) => {
    if (path.startsWith('/users/')) return tenant.user.id;
    if (path.startsWith('/sessions/') || path.startsWith('/agents/')) return tenant.session.id;
    if (path.startsWith('/allowed-numbers/')) return tenant.allowedNumber.id;
    // Workers are no tenant's resource (admin-only routes); none runs in the isolation test.
    if (path.startsWith('/workers/')) return 'no-such-worker';
    return undefined;
  },
  keyId: (tenant) => tenant.apiKey.id,
  tokenId: (tenant) => tenant.sessionToken.id,
  messageId: (tenant) => tenant.message.id,
  // A contact of the tenant's session: chatbot bindings are made by PUT, chat history may be empty.
  senderNumber: () => '6281234567890',
  jid: () => '6281234567890@s.whatsapp.net',
  jobId: (tenant) => tenant.bulkJob.id,
  scheduleId: (tenant) => tenant.schedule.id,
  deliveryId: (tenant) => tenant.webhookDelivery.id,
  // Groups live in WhatsApp, not in our database: any valid JIDs do (the session is not connected here).
  groupId: () => '120363041234567890@g.us',
  participant: () => '6281234567890',
};
