import { IsInt, IsOptional, IsPositive, IsString, Matches, Max, Min } from 'class-validator';
import { SendingConfig } from './sending.config';
import { ToNumber } from './env-transforms';

export class SessionWorkerConfig extends SendingConfig {
  /** Stable id of this replica; generated from host and pid when unset. */
  @IsOptional()
  @Matches(/^[a-zA-Z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, _ . or -' })
  WORKER_ID?: string;

  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT = 9400;

  @IsString()
  WORKER_METRICS_HOST = '0.0.0.0';

  /** Most sessions this replica will own at once. */
  @ToNumber()
  @IsInt()
  @Min(1)
  WORKER_CAPACITY = 1000;

  /** Registry heartbeat period; a worker missing WORKER_TTL_MS of heartbeats is gone. */
  @ToNumber()
  @IsInt()
  @Min(100)
  WORKER_HEARTBEAT_MS = 1_000;

  /**
   * Keep it below LEASE_TTL_MS: until a killed worker leaves the registry, the others count it in
   * their fair share and take only part of its orphans, so this bounds failover as much as the lease.
   */
  @ToNumber()
  @IsInt()
  @Min(300)
  WORKER_TTL_MS = 3_000;

  /** A session lease not renewed for this long is free; failover completes about this much later. */
  @ToNumber()
  @IsInt()
  @Min(1_000)
  LEASE_TTL_MS = 4_000;

  /**
   * Longest time a worker given SIGTERM spends handing its sessions over before it exits anyway
   * (peers then take the rest over once their leases expire). Orchestrators must wait longer than
   * this before they kill the process (Kubernetes: terminationGracePeriodSeconds).
   */
  @ToNumber()
  @IsInt()
  @Min(1_000)
  WORKER_DRAIN_GRACE_MS = 30_000;

  /** How often a worker looks for sessions without an owner (it is also woken on demand). */
  @ToNumber()
  @IsInt()
  @Min(100)
  RECONCILE_INTERVAL_MS = 1_000;

  /**
   * Planned hand-overs per second for the whole cluster (a token bucket in Redis shared by every
   * worker), so a new worker is never hit by a login storm. Drains move at this pace too.
   */
  @ToNumber()
  @IsPositive()
  REBALANCE_MOVES_PER_SECOND = 5;

  /**
   * How far (in sessions) a worker may be from its fair share before sessions move to or from it;
   * workers also move sessions only to one at least two sessions less loaded, so nothing ping-pongs.
   */
  @ToNumber()
  @IsInt()
  @Min(0)
  REBALANCE_TOLERANCE = 1;

  /** A session that was just moved is not moved again by rebalancing for this long (drains ignore it). */
  @ToNumber()
  @IsInt()
  @Min(0)
  REBALANCE_COOLDOWN_MS = 60_000;

  /** How often a worker compares what it holds with its fair share (it is also woken when workers join or leave). */
  @ToNumber()
  @IsInt()
  @Min(100)
  REBALANCE_INTERVAL_MS = 1_000;

  /**
   * Longest time a session being handed over waits for its send in flight to finish before its
   * socket is closed anyway (what was claimed but not sent goes out from the new owner, same id).
   */
  @ToNumber()
  @IsInt()
  @Min(0)
  MOVE_QUIESCE_TIMEOUT_MS = 5_000;

  /**
   * How often the worker checks whether a burst (links, restores) left its heap grown, and then
   * runs a full garbage collection so the memory goes back; 0 leaves collection to V8 alone.
   */
  @ToNumber()
  @IsInt()
  @Min(0)
  MEMORY_SETTLE_INTERVAL_MS = 15_000;

  /** Most sessions a worker connects at the same time while restoring or taking over. */
  @ToNumber()
  @IsInt()
  @Min(1)
  RESTORE_CONCURRENCY = 20;

  /** First reconnect delay after a dropped connection; doubles per failure, with jitter. */
  @ToNumber()
  @IsInt()
  @Min(10)
  RECONNECT_BASE_MS = 1_000;

  @ToNumber()
  @IsInt()
  @Min(100)
  RECONNECT_MAX_MS = 60_000;

  /** Consecutive failed connection attempts before a session is put in `error` and left alone. */
  @ToNumber()
  @IsInt()
  @Min(1)
  RECONNECT_MAX_ATTEMPTS = 10;

  /**
   * Chat history a worker keeps in memory per session it holds (seed 002 `source=store`): the
   * newest messages of each chat, and the chats with the most recent activity.
   */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(10_000)
  CHAT_STORE_MESSAGES_PER_CHAT = 100;

  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(10_000)
  CHAT_STORE_CHATS = 100;

  /** WebSocket URL Baileys connects to; unset means WhatsApp's own servers. */
  @IsOptional()
  @Matches(/^wss?:\/\/.+/, { message: 'must be a ws:// or wss:// URL' })
  WA_WS_URL?: string;

  /**
   * How long each QR is shown before Baileys rotates to the next (ms); unset = Baileys' own
   * (60 s for the first, 20 s for the others). Short values are for tests against the simulator.
   */
  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1_000)
  WA_QR_TIMEOUT_MS?: number;

  /** Hex Curve25519 public key Baileys trusts as certificate root (simulator only). */
  @IsOptional()
  @Matches(/^(05)?[0-9a-fA-F]{64}$/, { message: 'must be a 32-byte hex public key' })
  WA_TRUSTED_ROOT_PUBLIC_KEY?: string;
}
