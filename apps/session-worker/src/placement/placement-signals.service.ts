import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { SessionWorkerConfig } from '@app/config';
import { redisChannels } from '@app/contracts';
import { WorkerIdentity } from '../registry/worker-identity';
import { MoveReceiver } from './move-receiver.service';
import { Rebalancer } from './rebalancer.service';
import { SessionClaimer } from './session-claimer.service';

export const WAKE_SUBSCRIBER = Symbol('WAKE_SUBSCRIBER');

/**
 * What peers tell this worker over pub/sub: "sessions may need an owner, or workers joined or
 * left" (everybody reconciles and rebalances now rather than on their timers), and "the session
 * reserved for you is free" (this worker claims it at once).
 */
@Injectable()
export class PlacementSignals {
  constructor(
    @Inject(WAKE_SUBSCRIBER) private readonly subscriber: Redis,
    private readonly claimer: SessionClaimer,
    private readonly rebalancer: Rebalancer,
    private readonly receiver: MoveReceiver,
    private readonly identity: WorkerIdentity,
    private readonly config: SessionWorkerConfig,
  ) {}

  /** Subscribes before the worker is listed, so no move towards it goes unheard. */
  async listen(): Promise<void> {
    const adopt = redisChannels.sessionAdopt(this.config.REDIS_PREFIX, this.identity.id);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === adopt) {
        void this.receiver.adopt(message);
        return;
      }
      this.claimer.reconcileSoon();
      this.rebalancer.runSoon();
    });
    await this.subscriber.subscribe(redisChannels.sessionsWake(this.config.REDIS_PREFIX), adopt);
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
