import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/openapi';

export type GatewayClient = Client<paths>;

export interface GatewayCredentials {
  /** A user API key (`x-api-key`). */
  apiKey?: string;
  /** A login token (POST /auth/login) or a session token, sent as `Authorization: Bearer`. */
  token?: string;
}

export interface GatewayClientOptions extends GatewayCredentials {
  /** The gateway's origin, e.g. `http://localhost:3000` (or `''` for the page's own origin). */
  baseUrl: string;
  /** Another fetch (tests, polyfills); the global one by default. */
  fetch?: typeof fetch;
}

/** The credential headers for a request: API key, or Bearer token, or none (public routes). */
export function credentialHeaders(credentials: GatewayCredentials): Record<string, string> {
  if (credentials.apiKey) return { 'x-api-key': credentials.apiKey };
  if (credentials.token) return { authorization: `Bearer ${credentials.token}` };
  return {};
}

/**
 * The REST API, typed from the committed openapi.json (paths, bodies, answers, errors):
 * `client.POST('/sessions', { body })`, `client.GET('/sessions/{id}', { params: { path: { id } } })`.
 * Each call resolves to `{ data }` or `{ error }` (the `{ error: { code, message, traceId } }` envelope).
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  return createClient<paths>({ baseUrl: options.baseUrl, headers: credentialHeaders(options), fetch: options.fetch });
}
