/**
 * Every Prometheus metric of the suite, declared once. Names are part of the product (dashboards
 * and alerts query them): never rename. Each app registers the ones it records. The dashboard and
 * alert rules under deploy/ may use only names declared here (test/deploy checks it); a few are
 * declared ahead of the code that records them (see docs/OPERATIONS.md, "Metrics").
 */
export const METRICS = {
  sessionsActive: {
    type: 'gauge',
    name: 'sessions_active',
    help: 'Sessions with an open WhatsApp connection held by this worker',
    labelNames: ['worker'],
  },
  messagesSent: {
    type: 'counter',
    name: 'messages_sent_total',
    help: 'Messages handed to WhatsApp, by kind',
    labelNames: ['kind'],
  },
  messagesReceived: {
    type: 'counter',
    name: 'messages_received_total',
    help: 'Inbound messages received from WhatsApp',
    labelNames: [],
  },
  errors: {
    type: 'counter',
    name: 'errors_total',
    help: 'Errors by error code',
    labelNames: ['code'],
  },
  aiLatency: {
    type: 'histogram',
    name: 'ai_latency_seconds',
    help: 'AI backend call duration',
    labelNames: ['outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  },
  httpRequestDuration: {
    type: 'histogram',
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  queueJobs: {
    type: 'gauge',
    name: 'queue_jobs',
    help: 'BullMQ jobs by queue and state',
    labelNames: ['queue', 'state'],
  },
  workersLive: {
    type: 'gauge',
    name: 'session_workers_live',
    help: 'Session workers with a current heartbeat in the registry',
    labelNames: [],
  },
  jobsProcessed: {
    type: 'counter',
    name: 'jobs_processed_total',
    help: 'BullMQ jobs processed by this app, by queue, job name and outcome',
    labelNames: ['queue', 'job', 'outcome'],
  },
  sessionReconnects: {
    type: 'counter',
    name: 'session_reconnects_total',
    help: 'Reconnect attempts after a dropped WhatsApp connection, by worker',
    labelNames: ['worker'],
  },
  leaseTakeovers: {
    type: 'counter',
    name: 'session_lease_takeovers_total',
    help: 'Sessions this worker took over from a worker that died holding them',
    labelNames: ['worker'],
  },
  sessionRestoreDuration: {
    type: 'histogram',
    name: 'session_restore_duration_seconds',
    help: 'Time from claiming a linked session to its connection being open',
    labelNames: ['worker'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
  sessionsHeld: {
    type: 'gauge',
    name: 'sessions_held',
    help: 'Sessions whose lease this worker holds, by session status (what WORKER_CAPACITY counts)',
    labelNames: ['worker', 'status'],
  },
  sessionsUnplaced: {
    type: 'gauge',
    name: 'sessions_unplaced',
    help: 'Linked sessions no worker holds because every live worker is full or draining (cluster-wide; every reporter gives the same count)',
    labelNames: [],
  },
  sessionsDisconnectedLongest: {
    type: 'gauge',
    name: 'sessions_disconnected_longest_seconds',
    help: 'Longest time one linked session held by this worker has been without an open WhatsApp connection (0 when all are connected)',
    labelNames: ['worker'],
  },
  workerState: {
    type: 'gauge',
    name: 'session_worker_state',
    help: "1 for this worker's current state (active, draining, leaving), 0 for the others",
    labelNames: ['worker', 'state'],
  },
  sessionMoves: {
    type: 'counter',
    name: 'session_moves_total',
    help: 'Planned hand-overs this worker completed as the giving side, by reason (rebalance, drain, shutdown)',
    labelNames: ['worker', 'reason'],
  },
  sessionMoveDuration: {
    type: 'histogram',
    name: 'session_move_duration_seconds',
    help: 'How long a moved session took no sends: from its old owner stopping them to its new owner being connected (recorded by the new owner)',
    labelNames: ['worker'],
    buckets: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
  },
  leaseLosses: {
    type: 'counter',
    name: 'session_lease_losses_total',
    help: 'Leases this worker found expired or taken when renewing them (it closed those sessions at once)',
    labelNames: ['worker'],
  },
  outboxMessages: {
    type: 'gauge',
    name: 'outbox_messages',
    help: 'Accepted messages not yet handed to WhatsApp, by delivery status (queued, sending), installation-wide',
    labelNames: ['status'],
  },
  tempFilesRemoved: {
    type: 'counter',
    name: 'temp_files_removed_total',
    help: 'Files removed from TEMP_DIR by the cleanup job',
    labelNames: [],
  },
  liveEventClients: {
    type: 'gauge',
    name: 'live_event_clients',
    help: "Clients connected to this gateway's live events (GET /events)",
    labelNames: [],
  },
  liveEventClientsDropped: {
    type: 'counter',
    name: 'live_event_clients_dropped_total',
    help: 'Live-event clients disconnected for falling LIVE_EVENTS_CLIENT_BUFFER_BYTES behind',
    labelNames: [],
  },
} as const;
