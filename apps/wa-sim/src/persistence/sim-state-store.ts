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

/**
 * Phones' chat histories are their largest documents and change with every message: written at
 * most this often (a busy contact's history was rewritten ten times a second, CPU that competed
 * with whatever sent to it).
 */
const HISTORY_FLUSH_DELAY_MS = 2_000;

/** The simulator's state directory; flushed on shutdown so nothing scheduled is lost. */
@Injectable()
export class SimStateStore implements OnApplicationShutdown {
  readonly files: JsonFileStore;
  /** The same directory, for chat histories (see HISTORY_FLUSH_DELAY_MS). */
  readonly historyFiles: JsonFileStore;

  constructor(stateDir: string) {
    this.files = new JsonFileStore(stateDir);
    this.historyFiles = new JsonFileStore(stateDir, HISTORY_FLUSH_DELAY_MS);
  }

  onApplicationShutdown(): void {
    this.files.flush();
    this.historyFiles.flush();
  }
}
