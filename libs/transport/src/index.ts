export * from './addressed-redis.server';
export * from './remote-error.filter';
export * from './worker-rpc.client';
export * from './worker-rpc-client.module';
export * from './redis-transport-options';
export * from './session-command.router';
