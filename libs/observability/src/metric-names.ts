/**
 * Every Prometheus metric of the suite, declared once. Names are part of the product (dashboards
 * and alerts query them): never rename. Each app registers the ones it records.
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
  tempFilesRemoved: {
    type: 'counter',
    name: 'temp_files_removed_total',
    help: 'Files removed from TEMP_DIR by the cleanup job',
    labelNames: [],
  },
  liveEventClients: {
    type: 'gauge',
    name: 'live_event_clients',
    help: 'Clients connected to this gateway\'s live events (GET /events)',
    labelNames: [],
  },
  liveEventClientsDropped: {
    type: 'counter',
    name: 'live_event_clients_dropped_total',
    help: 'Live-event clients disconnected for falling LIVE_EVENTS_CLIENT_BUFFER_BYTES behind',
    labelNames: [],
  },
} as const;
