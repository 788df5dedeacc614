import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JsonFileStore } from './json-file-store';

export const SIM_OPTIONS = Symbol('SIM_OPTIONS');

/** Options of one simulator instance, provided to every module under the SIM_OPTIONS token. */
export interface SimOptions {
  stateDir: string;
  receiptDelayMs: number;
  /** Newest messages per chat a phone puts into a new companion's initial history sync. */
  historySyncMessagesPerChat: number;
}

/** The simulator's state directory; flushed on shutdown so nothing scheduled is lost. */
@Injectable()
export class SimStateStore implements OnApplicationShutdown {
  readonly files: JsonFileStore;

  constructor(stateDir: string) {
    this.files = new JsonFileStore(stateDir);
  }

  onApplicationShutdown(): void {
    this.files.flush();
  }
}
