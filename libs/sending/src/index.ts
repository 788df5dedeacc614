export * from './delivery.requester';
export * from './message-id';
export * from './send-retry.policy';
export * from './send.acceptor';
export * from './sending.module';
