/**
 * BullMQ queue and job names shared between producers and consumers.
 * NEVER RENAME: waiting jobs in Redis keep the old names across deploys.
 */
export const QUEUES = {
  /** Scheduler-owned maintenance: temp file cleanup, stale session sweeps. */
  maintenance: 'maintenance',
  /** Session lifecycle events published by workers (status changes, QR, link). */
  sessionEvents: 'session-events',
  /** One job per webhook delivery, retried with backoff by the agent-runner. */
  webhookDeliveries: 'webhook-deliveries',
  /** Bulk send jobs (seed 002), run item by item by the scheduler. */
  bulkJobs: 'bulk-jobs',
  /** One delayed job per scheduled message, due at its send time. */
  scheduledMessages: 'scheduled-messages',
  /** Delivery status changes of sent messages (receipts), for webhooks. */
  messageEvents: 'message-events',
  /** Messages received by sessions (and written on their phones), one job per WhatsApp message id (duplicates collapse). */
  inboundMessages: 'inbound-messages',
} as const;

export const JOBS = {
  cleanupTempFiles: 'cleanup-temp-files',
  sessionStatusChanged: 'session-status-changed',
  deliverWebhook: 'deliver-webhook',
  runBulkJob: 'run-bulk-job',
  sendScheduledMessage: 'send-scheduled-message',
  /** One event per job: published by workers before message events were batched; still consumed. */
  messageStatusChanged: 'message-status-changed',
  messageStatusBatch: 'message-status-batch',
  messageReceived: 'message-received',
  /** A message the session's account wrote on another device (the phone): history only. */
  messageSentFromPhone: 'message-sent-from-phone',
  purgeIdempotencyRecords: 'purge-idempotency-records',
  purgeUnreferencedMedia: 'purge-unreferenced-media',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * BullMQ options of the jobs that run accepted sends (bulk jobs, scheduled messages). They are
 * added by more than one process (the gateway on accept, the scheduler's sweeps), always with the
 * row's id as job id so each exists once; finished jobs are removed, so a sweep can tell a job
 * that still has to run (its row unfinished, no BullMQ job) from one that is running.
 */
export const SEND_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: true,
};

/**
 * A scheduled message's job falls due this long before the message does; the scheduler then waits
 * for the exact time. A scheduler stopped (SIGTERM) in that window still sends it on time before
 * exiting, so a restart around the due time does not make the message late.
 */
export const SCHEDULE_PICKUP_LEAD_MS = 2_000;
