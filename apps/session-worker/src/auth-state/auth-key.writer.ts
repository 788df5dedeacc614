import { Injectable } from '@nestjs/common';
import { AuthStateRepository, StaleLeaseError, type SessionKeyWrites } from '@app/db';
import { TickBatcher } from '../batching/tick-batcher';

/**
 * Signal key writes of every session this worker holds, committed together: Baileys commits a
 * session's keys after each message it encrypts, so with many busy sessions one statement per
 * event-loop turn replaces one per message. Each write still resolves only once it is stored,
 * and one refused for a stale lease epoch fails alone.
 */
@Injectable()
export class AuthKeyWriter {
  private readonly batcher: TickBatcher<SessionKeyWrites, boolean>;

  constructor(repository: AuthStateRepository) {
    this.batcher = new TickBatcher(async (batch) => {
      const refused = new Set(await repository.writeKeys(batch));
      return batch.map((entry) => !refused.has(entry));
    });
  }

  async write(entry: SessionKeyWrites): Promise<void> {
    if (entry.writes.length === 0) return;
    if (!(await this.batcher.add(entry))) throw new StaleLeaseError(entry.sessionId, entry.epoch);
  }
}
