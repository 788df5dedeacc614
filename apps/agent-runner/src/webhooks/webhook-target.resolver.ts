import { Injectable } from '@nestjs/common';
import { AgentRunnerConfig } from '@app/config';
import { SecretBox } from '@app/crypto';
import { SessionWebhookRepository } from '@app/db';
import type { WebhookEvent } from '@app/contracts';

/** Where a session's events go, and the secret that signs them (opened, in memory only). */
export interface ResolvedWebhook {
  url: string;
  /** Empty = every event. */
  events: readonly string[];
  secret: string | null;
  /** The installation's global webhook (WEBHOOK_BASE_URL), not the session's own. */
  global: boolean;
}

/**
 * A session's webhook: its own (PUT /sessions/{id}/webhook), else the installation's global one
 * (seed 001 WEBHOOK_BASE_URL, every event), else none.
 */
@Injectable()
export class WebhookTargetResolver {
  constructor(
    private readonly targets: SessionWebhookRepository,
    private readonly secrets: SecretBox,
    private readonly config: AgentRunnerConfig,
  ) {}

  async resolve(sessionId: string): Promise<ResolvedWebhook | null> {
    const own = await this.targets.findTarget(sessionId);
    if (own) return { url: own.url, events: own.events, secret: own.secretCipher ? this.secrets.open(own.secretCipher) : null, global: false };
    if (!this.config.WEBHOOK_BASE_URL) return null;
    return { url: this.config.WEBHOOK_BASE_URL, events: [], secret: this.config.WEBHOOK_BASE_SECRET ?? null, global: true };
  }

  static wants(target: ResolvedWebhook, event: WebhookEvent): boolean {
    return target.events.length === 0 || target.events.includes(event);
  }
}
