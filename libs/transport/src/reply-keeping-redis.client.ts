import { ClientRedis } from '@nestjs/microservices';

/** A reply channel unused this long is unsubscribed (workers come and go; their channels should too). */
const IDLE_REPLY_CHANNEL_MS = 10 * 60_000;
const SWEEP_EVERY_MS = 60_000;

/**
 * Nest's Redis client subscribes to a command's reply channel when no request on it is in flight
 * and unsubscribes after the last answer, so requests made one at a time each wait for a SUBSCRIBE
 * round trip before their PUBLISH. This client keeps a reply channel subscribed after use (there
 * are a few per worker), so such a request is one PUBLISH; channels idle for ten minutes are let go.
 *
 * Bookkeeping on top of Nest's: a subscribed channel's count is its requests in flight plus one.
 */
export class ReplyKeepingRedisClient extends ClientRedis {
  protected readonly idleReplyChannelMs: number = IDLE_REPLY_CHANNEL_MS;
  private readonly lastUsedAt = new Map<string, number>();
  private sweptAt = Date.now();

  protected override unsubscribeFromChannel(channel: string): void {
    const now = Date.now();
    this.lastUsedAt.set(channel, now);
    const inFlight = (this.subscriptionsCount.get(channel) ?? 1) - 1;
    this.subscriptionsCount.set(channel, Math.max(inFlight, 1));
    if (now - this.sweptAt >= Math.min(SWEEP_EVERY_MS, this.idleReplyChannelMs)) this.sweep(now);
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [channel, usedAt] of this.lastUsedAt) {
      const count = this.subscriptionsCount.get(channel);
      // No count: the connection was reset and Nest forgot every subscription. 1: none in flight.
      const forgotten = count === undefined;
      const idle = count === 1 && now - usedAt >= this.idleReplyChannelMs;
      if (!forgotten && !idle) continue;
      this.lastUsedAt.delete(channel);
      if (idle) super.unsubscribeFromChannel(channel);
    }
  }
}
