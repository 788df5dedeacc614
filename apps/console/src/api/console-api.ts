import { createGatewayClient, credentialHeaders, type GatewayClient } from '@app/client';
import { clientCredentials, type Credential } from '../auth/credential.store';
import { ApiError, problemFromAnswer, problemFromFailure, TRACE_HEADER } from './api-problem';

export interface ConsoleApi {
  client: GatewayClient;
  baseUrl: string;
  /**
   * POST to a route this console's openapi.json may not have (optional worker actions): same
   * credential, same error handling, no compile-time route check.
   */
  postUntyped(path: string): Promise<unknown>;
}

/**
 * The typed client with the console's credential. A 401 on any call means the token expired or
 * the key was revoked: `onUnauthorized` signs the console out.
 */
export function createConsoleApi(baseUrl: string, credential: Credential, onUnauthorized: () => void): ConsoleApi {
  const client = createGatewayClient({ baseUrl, ...clientCredentials(credential) });
  client.use({
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized();
    },
  });
  const headers = credentialHeaders(clientCredentials(credential));
  return {
    client,
    baseUrl,
    async postUntyped(path) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers });
      } catch (cause) {
        throw new ApiError(problemFromFailure(cause));
      }
      const body: unknown = await response.json().catch(() => null);
      if (response.status === 401) onUnauthorized();
      if (!response.ok) throw new ApiError(problemFromAnswer(response.status, body, response.headers.get(TRACE_HEADER)));
      return body;
    },
  };
}
