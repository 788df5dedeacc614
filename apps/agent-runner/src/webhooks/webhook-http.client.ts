import { Injectable } from '@nestjs/common';
import { SafeUrlFetcher } from '@app/safe-fetch';

export interface WebhookResponse {
  statusCode: number;
}

/** Webhook answers are not read; a bigger one fails the attempt rather than be buffered. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * The agent-runner's only door to customers' webhook endpoints. Webhook URLs are chosen by
 * tenants, so they go through the SSRF-safe fetcher: public addresses only, unless
 * URL_FETCH_ALLOWLIST names the destination. Redirects are not followed: a target that redirects
 * is misconfigured, and following could lead requests somewhere unintended.
 */
@Injectable()
export class WebhookHttpClient {
  constructor(private readonly fetcher: SafeUrlFetcher) {}

  async post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<WebhookResponse> {
    const response = await this.fetcher.fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'wa-gateway-webhooks/1', ...headers },
      maxBytes: MAX_RESPONSE_BYTES,
      timeoutMs,
      maxRedirects: 0,
    });
    return { statusCode: response.status };
  }
}
