import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import type { SessionWorkerConfig } from '@app/config';
import { partial } from '../../../../test/support/worker-fakes';
import { WorkerIdentity } from '../registry/worker-identity';
import type { MoveReceiver } from './move-receiver.service';
import { PlacementSignals } from './placement-signals.service';
import type { Rebalancer } from './rebalancer.service';
import type { SessionClaimer } from './session-claimer.service';

/** A subscriber connection: channels subscribed, messages delivered by the test. */
class FakeSubscriber extends EventEmitter {
  readonly channels: string[] = [];

  async subscribe(...channels: string[]): Promise<number> {
    this.channels.push(...channels);
    return this.channels.length;
  }

  deliver(channel: string, message: string): void {
    if (this.channels.includes(channel)) this.emit('message', channel, message);
  }
}

function setUp() {
  const subscriber = new FakeSubscriber();
  const heard: string[] = [];
  const claimer = partial<SessionClaimer>({ reconcileSoon: () => void heard.push('reconcile') });
  const rebalancer = partial<Rebalancer>({ runSoon: () => void heard.push('rebalance') });
  const receiver = partial<MoveReceiver>({ adopt: async (sessionId: string) => void heard.push(`adopt ${sessionId}`) });
  const identity = new WorkerIdentity('w1', 'host', 1, new Date(0));
  const config = { REDIS_PREFIX: 'unit' } as SessionWorkerConfig;
  const signals = new PlacementSignals(subscriber as unknown as Redis, claimer, rebalancer, receiver, identity, config);
  return { subscriber, heard, signals };
}

describe('PlacementSignals', () => {
  it('listens to the wake-up every worker hears and to the moves reserved for this worker only', async () => {
    const { subscriber, signals } = setUp();
    await signals.listen();
    expect(subscriber.channels).toEqual(['unit:sessions:wake', 'unit:sessions:adopt:w1']);
  });

  it('reconciles and rebalances on a wake-up, and claims at once a session its old owner let go', async () => {
    const { subscriber, heard, signals } = setUp();
    await signals.listen();
    subscriber.deliver('unit:sessions:wake', '1');
    subscriber.deliver('unit:sessions:adopt:w1', 'session-7');
    expect(heard).toEqual(['reconcile', 'rebalance', 'adopt session-7']);
  });
});
