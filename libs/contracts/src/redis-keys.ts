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
  /**
   * JSON SessionReservation: the session is being handed to one worker; the others leave it alone
   * while that worker is live and active. Expires shortly after the hand-over should be done.
   */
  sessionReservation: (prefix: string, sessionId: string): string => `${prefix}:placement:reserved:${sessionId}`,
  /** Sorted set of session ids being handed to one worker, scored by when each reservation expires. */
  workerIncoming: (prefix: string, workerId: string): string => `${prefix}:placement:incoming:${workerId}`,
  /** Hash (tokens, time) of the cluster-wide token bucket that paces planned hand-overs. */
  moveTokens: (prefix: string): string => `${prefix}:placement:move-tokens`,
} as const;

/** Pub/sub channels (pub/sub ignores the DB index, so channels carry the prefix too). */
export const redisChannels = {
  /** "Some session may need an owner now": workers reconcile at once instead of on their timer. */
  sessionsWake: (prefix: string): string => `${prefix}:sessions:wake`,
  /** "A session reserved for you was just released" (message: the session id), to one worker. */
  sessionAdopt: (prefix: string, workerId: string): string => `${prefix}:sessions:adopt:${workerId}`,
} as const;
