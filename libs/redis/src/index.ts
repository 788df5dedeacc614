export * from './redis-client';
export * from './redis-health';
export * from './redis.module';
export * from './redis-options';
export * from './worker-registry.repository';
export * from './session-lease.repository';
export * from './send-pacing/send-pacer.service';
export * from './send-pacing/send-pacing.module';
