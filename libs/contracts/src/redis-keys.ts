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
  sendPacingRecipient: (prefix: string, sessionId: string, recipientJid: string): string => `${prefix}:pacing:{${sessionId}}:to:${recipientJid}`,
  /** Stream of live events (see live-events.ts for its fields and retention), read by every gateway. */
  liveEvents: (prefix: string): string => `${prefix}:live-events`,
  /** One live-events ticket (value: the principal it stands for), by the SHA-256 of the ticket; expires in seconds. */
  liveEventsTicket: (prefix: string, ticketHash: string): string => `${prefix}:live-events:ticket:${ticketHash}`,
  /** Hash of the steps done for one received message (agent-runner), so a retry redoes only the unfinished ones. */
  inboundProgress: (prefix: string, sessionId: string, waMessageId: string): string => `${prefix}:inbound:{${sessionId}:${waMessageId}}`,
  /** Base of one client's request counter and block of one rate limit (`:hits`, `:block`). */
  rateLimit: (prefix: string, throttlerName: string, clientKey: string): string => `${prefix}:rate-limit:${throttlerName}:{${clientKey}}`,
  /** Cooldown of re-syncing a session's api key from `api_keys` after a wrong Bearer (seed 003). */
  sessionKeyResync: (prefix: string, sessionId: string): string => `${prefix}:auth:session-key-resync:${sessionId}`,
  /** Root of BullMQ's keys (`<root>:<queue>:…`). */
  bullRoot: (prefix: string): string => `${prefix}:bull`,
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

/**
 * The families of keys under a prefix, as the Redis tools (`npm run redis:analyze`, `redis:clean`)
 * tell them apart. `path` matches what follows `<prefix>:`; `expires` says every key of the family
 * is written with a TTL, so one without is stale. BullMQ's keys are one family per queue.
 */
export const REDIS_KEY_FAMILIES = [
  { family: 'worker-info', path: /^worker:[^:]+$/, expires: true },
  { family: 'worker-index', path: /^workers$/, expires: false },
  { family: 'session-lease', path: /^lease:session:/, expires: true },
  { family: 'send-pacing', path: /^pacing:\{/, expires: true },
  { family: 'inbound-progress', path: /^inbound:\{/, expires: true },
  { family: 'rate-limit', path: /^rate-limit:/, expires: true },
  { family: 'session-key-resync', path: /^auth:session-key-resync:/, expires: true },
  // Bounded by length and age as it is appended to (live-events.ts), not by a TTL.
  { family: 'live-events', path: /^live-events$/, expires: false },
  { family: 'live-events-ticket', path: /^live-events:ticket:/, expires: true },
  { family: 'session-reservation', path: /^placement:reserved:/, expires: true },
  { family: 'worker-incoming-moves', path: /^placement:incoming:/, expires: true },
  { family: 'move-tokens', path: /^placement:move-tokens$/, expires: true },
] as const satisfies ReadonlyArray<{ family: string; path: RegExp; expires: boolean }>;

export type RedisKeyFamily = (typeof REDIS_KEY_FAMILIES)[number]['family'];

/** Pub/sub channels (pub/sub ignores the DB index, so channels carry the prefix too). */
export const redisChannels = {
  /** "Some session may need an owner now": workers reconcile at once instead of on their timer. */
  sessionsWake: (prefix: string): string => `${prefix}:sessions:wake`,
  /** "A session reserved for you was just released" (message: the session id), to one worker. */
  sessionAdopt: (prefix: string, workerId: string): string => `${prefix}:sessions:adopt:${workerId}`,
} as const;
