import { ServerRedis, type RedisOptions } from '@nestjs/microservices';
import type { Redis } from 'ioredis';

/**
 * The NestJS Redis transport server, listening only on channels addressed to one worker
 * (`<prefix>:rpc:<workerId>:<command>`). Handlers keep their plain command patterns; the
 * address is added when subscribing and removed when looking up the handler.
 */
export class AddressedRedisServer extends ServerRedis {
  // Nest types its ioredis clients `any` (ioredis is an optional peer there); they are ioredis clients.
  declare protected subClient: Redis;
  declare protected pubClient: Redis;

  constructor(
    options: NonNullable<RedisOptions['options']>,
    private readonly channelPrefix: string,
  ) {
    super(options);
  }

  /**
   * Like the base class, but reports "listening" only once the subscriptions took effect: Nest
   * does not await its SUBSCRIBE commands, and a PING answered on the same connection comes after
   * them. A worker announces itself only then, so it is never listed while deaf to commands.
   */
  override start(callback?: (error?: unknown) => void): void {
    void Promise.all([this.subClient.connect(), this.pubClient.connect()])
      .then(async () => {
        this.bindEvents(this.subClient, this.pubClient);
        await this.subClient.ping();
        callback?.();
      })
      .catch((error: unknown) => callback?.(error));
  }

  override getRequestPattern(pattern: string): string {
    return `${this.channelPrefix}${pattern}`;
  }

  override getHandlerByPattern(pattern: string) {
    const command = pattern.startsWith(this.channelPrefix) ? pattern.slice(this.channelPrefix.length) : pattern;
    return super.getHandlerByPattern(command);
  }
}
