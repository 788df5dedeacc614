/**
 * Redis key names shared by more than one process. Every key starts with the installation's
 * REDIS_PREFIX. Never rename: a rolling deploy runs old and new processes side by side.
 */
export const redisKeys = {
  /** Hash of one live worker's self-description; expires unless its heartbeat renews it. */
  workerInfo: (prefix: string, workerId: string): string => `${prefix}:worker:${workerId}`,
  /** Sorted set of worker ids scored by the time their heartbeat expires. */
  workerIndex: (prefix: string): string => `${prefix}:workers`,
  /** `<workerId>:<nonce>` of the worker allowed to connect the session; expires unless renewed. */
  sessionLease: (prefix: string, sessionId: string): string => `${prefix}:lease:session:${sessionId}`,
  /**
   * Send pacing of one session (hash: token bucket and last send time), read by whichever worker
   * owns the session, so a failover keeps the budget. The `{…}` hash tag keeps a session's pacing
   * keys in one Redis Cluster slot, as the pacing script touches them together.
   */
  sendPacing: (prefix: string, sessionId: string): string => `${prefix}:pacing:{${sessionId}}`,
  /** Sorted set of a session's reserved send times, for the per-minute and per-hour caps. */
  sendPacingLog: (prefix: string, sessionId: string): string => `${prefix}:pacing:{${sessionId}}:log`,
  /** Sorted set of a session's reserved send times to one recipient, for the per-recipient cap. */
  sendPacingRecipient: (prefix: string, sessionId: string, recipientJid: string): string =>
    `${prefix}:pacing:{${sessionId}}:to:${recipientJid}`,
  /** Stream of live events (see live-events.ts for its fields and retention), read by every gateway. */
  liveEvents: (prefix: string): string => `${prefix}:live-events`,
  /** One live-events ticket (value: the principal it stands for), by the SHA-256 of the ticket; expires in seconds. */
  liveEventsTicket: (prefix: string, ticketHash: string): string => `${prefix}:live-events:ticket:${ticketHash}`,
} as const;

/** Pub/sub channels (pub/sub ignores the DB index, so channels carry the prefix too). */
export const redisChannels = {
  /** "Some session may need an owner now": workers reconcile at once instead of on their timer. */
  sessionsWake: (prefix: string): string => `${prefix}:sessions:wake`,
} as const;
