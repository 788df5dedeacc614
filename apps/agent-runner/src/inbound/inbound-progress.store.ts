import { Injectable } from '@nestjs/common';
import { CoreConfig } from '@app/config';
import { redisKeys, type InboundMessageEvent } from '@app/contracts';
import { RedisClient } from '@app/redis';
import type { AgentOutcome } from './agent-outcome';

export type InboundStep = 'history' | 'webhook' | 'agent';

/**
 * Longer than the 24 h the inbound job is kept for deduplication, so a message re-added after its
 * job was removed still finds what was done for it.
 */
const PROGRESS_TTL_S = 3 * 24 * 3600;
const OUTCOME_FIELD = 'agent-outcome';

/**
 * What has been done for one received message, step by step, in Redis (one hash per message).
 * A step is marked only after it finished, so a retry after a crash redoes exactly the unfinished
 * steps. The AI agent's answer is kept too: a retry after the AI call sends the answer it got
 * instead of asking the AI again.
 */
@Injectable()
export class InboundProgressStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly config: CoreConfig,
  ) {}

  async finishedSteps(event: InboundMessageEvent): Promise<Set<InboundStep>> {
    const fields = await this.redis.hkeys(this.key(event));
    return new Set(fields.filter((field): field is InboundStep => field === 'history' || field === 'webhook' || field === 'agent'));
  }

  async markFinished(event: InboundMessageEvent, step: InboundStep): Promise<void> {
    await this.write(event, step, new Date().toISOString());
  }

  async agentOutcome(event: InboundMessageEvent): Promise<AgentOutcome | null> {
    const stored = await this.redis.hget(this.key(event), OUTCOME_FIELD);
    return stored ? (JSON.parse(stored) as AgentOutcome) : null;
  }

  async saveAgentOutcome(event: InboundMessageEvent, outcome: AgentOutcome): Promise<void> {
    await this.write(event, OUTCOME_FIELD, JSON.stringify(outcome));
  }

  private async write(event: InboundMessageEvent, field: string, value: string): Promise<void> {
    const key = this.key(event);
    await this.redis.multi().hset(key, field, value).expire(key, PROGRESS_TTL_S).exec();
  }

  /** Agent-runner's own key (no other process reads it); the hash tag keeps one message in one slot. */
  private key(event: InboundMessageEvent): string {
    return redisKeys.inboundProgress(this.config.REDIS_PREFIX, event.sessionId, event.waMessageId);
  }
}
