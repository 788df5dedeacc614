import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AiBackendConfig } from '@app/config';
import { AppError } from '@app/contracts';
import { SafeFetchError, SafeUrlFetcher } from '@app/safe-fetch';
import type { AiExecution, AiExecutionResult } from './ai-run.payload';

/** A reply is a chat message: anything bigger than this is not one. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const BODY_EXCERPT_CHARS = 300;

const timeoutError = (timeoutMs: number) => new AppError('AI_TIMEOUT', `The AI backend did not answer within ${timeoutMs} ms`, { timeoutMs });
const downstreamError = (message: string, details: Record<string, unknown> = {}) => new AppError('AI_DOWNSTREAM_ERROR', message, details);

const originOf = (url: string | undefined): string | null => {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
};

interface RawResponse {
  status: number;
  body: string;
}

/**
 * The one door to AI backends (seed 003 aiProxy): POST with the session's Bearer key, one deadline
 * (AI_TIMEOUT_MS), only `reply` used. Timeouts become AI_TIMEOUT, everything else that keeps a
 * reply from coming back AI_DOWNSTREAM_ERROR. Endpoints chosen by tenants (sessions, chatbot
 * bindings) go through the SSRF-safe fetcher; the operator's AI_BACKEND_URL origin is trusted as is.
 */
@Injectable()
export class AiBackendClient implements OnApplicationShutdown {
  private readonly trustedOrigin: string | null;
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly config: AiBackendConfig,
    private readonly fetcher: SafeUrlFetcher,
  ) {
    this.trustedOrigin = originOf(config.AI_BACKEND_URL);
  }

  /** `${AI_BACKEND_URL}/agents/{sessionId}/execute`, or null when no default backend is configured. */
  defaultEndpoint(sessionId: string): string | null {
    const base = this.config.AI_BACKEND_URL?.replace(/\/+$/, '');
    return base ? `${base}/agents/${encodeURIComponent(sessionId)}/execute` : null;
  }

  async execute(call: AiExecution): Promise<AiExecutionResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': call.traceId };
    if (call.apiKey) headers.authorization = `Bearer ${call.apiKey}`;
    const body = JSON.stringify(call.payload);
    const response =
      originOf(call.endpoint) === this.trustedOrigin ? await this.trustedPost(call.endpoint, body, headers) : await this.safePost(call.endpoint, body, headers);
    if (response.status < 200 || response.status >= 300) {
      throw downstreamError(`The AI backend answered HTTP ${response.status}`, { status: response.status, body: response.body.slice(0, BODY_EXCERPT_CHARS) });
    }
    return { reply: replyOf(response.body) };
  }

  onApplicationShutdown(): void {
    for (const controller of this.inFlight) controller.abort();
  }

  private async safePost(url: string, body: string, headers: Record<string, string>): Promise<RawResponse> {
    const timeoutMs = this.config.AI_TIMEOUT_MS;
    try {
      const response = await this.fetcher.fetch(url, { method: 'POST', headers, body, maxBytes: MAX_RESPONSE_BYTES, timeoutMs, maxRedirects: 0 });
      return { status: response.status, body: response.body.toString('utf8') };
    } catch (error) {
      if (!(error instanceof SafeFetchError)) throw error;
      if (error.reason === 'timeout') throw timeoutError(timeoutMs);
      throw downstreamError(`The AI endpoint could not be called: ${error.message}`, { reason: error.reason });
    }
  }

  private async trustedPost(url: string, body: string, headers: Record<string, string>): Promise<RawResponse> {
    const timeoutMs = this.config.AI_TIMEOUT_MS;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(timeoutError(timeoutMs)), timeoutMs);
    this.inFlight.add(controller);
    try {
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: controller.signal });
      const text = await response.text();
      if (Buffer.byteLength(text) > MAX_RESPONSE_BYTES) throw downstreamError(`The AI backend answered with more than ${MAX_RESPONSE_BYTES} bytes`);
      return { status: response.status, body: text };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (controller.signal.aborted)
        throw controller.signal.reason instanceof AppError ? controller.signal.reason : downstreamError('The AI call was cancelled (shutting down)');
      throw downstreamError(`The AI backend could not be reached: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }
}

/** Seed 003: the backend answers `{ "reply": "…" }`; a missing or empty reply means "say nothing". */
function replyOf(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw downstreamError('The AI backend answered with something that is not JSON', { body: body.slice(0, BODY_EXCERPT_CHARS) });
  }
  const reply = (parsed as { reply?: unknown } | null)?.reply;
  if (reply === undefined || reply === null) return null;
  if (typeof reply !== 'string') throw downstreamError('The AI backend answered with a `reply` that is not a string');
  return reply.trim() === '' ? null : reply;
}
