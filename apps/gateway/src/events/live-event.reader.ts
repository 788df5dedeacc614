import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { LiveEventHub } from './live-event.hub';
import { LiveEventStream } from './live-event.stream';

/** How long one XREAD waits for new events before asking again. */
const BLOCK_MS = 5_000;
/** Most entries one XREAD returns (a burst is read in several). */
const READ_BATCH = 1_000;
const RETRY_DELAY_MS = 1_000;

/**
 * The one reader of the live-events stream in this gateway process: a blocking XREAD loop on a
 * connection of its own, handing each batch to the hub in order. It reads only while the hub has
 * clients (a gateway nobody follows events on would otherwise read every event of the cluster for
 * nothing), starting from the stream's position when the first one arrives. After an error (Redis,
 * or the database behind the owner lookup) it reads again from the last batch it delivered, so an
 * outage delays events but loses none (within the retention).
 */
@Injectable()
export class LiveEventReader implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopped = false;

  constructor(
    private readonly stream: LiveEventStream,
    private readonly hub: LiveEventHub,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(LiveEventReader.name);
  }

  onApplicationBootstrap(): void {
    void this.run();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.hub.whenWanted();
      const lastId = await this.startingPoint();
      if (lastId === null) return;
      this.hub.startAt(lastId);
      await this.follow(lastId);
    }
  }

  /** Hands the hub every event after `lastId` until it has no clients left (or the app stops). */
  private async follow(lastId: string): Promise<void> {
    while (!this.stopped && !this.hub.pauseIfUnwanted()) {
      try {
        const entries = await this.stream.waitAfter(lastId, BLOCK_MS, READ_BATCH);
        if (entries.length === 0) continue;
        await this.hub.dispatch(entries);
        lastId = entries[entries.length - 1][0];
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn({ err: error, lastId }, 'live events: reading the stream failed; retrying');
        await sleep(RETRY_DELAY_MS);
      }
    }
  }

  /** Where the stream stands now (null when the app stopped before Redis answered). */
  private async startingPoint(): Promise<string | null> {
    while (!this.stopped) {
      try {
        return (await this.stream.position()).lastId;
      } catch (error) {
        this.logger.warn({ err: error }, 'live events: cannot read the stream position; retrying');
        await sleep(RETRY_DELAY_MS);
      }
    }
    return null;
  }
}
