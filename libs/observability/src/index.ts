export * from './logging.module';
export * from './metric-names';
export * from './metric-providers';
export * from './metrics.module';
export * from './trace-id';
export * from './http-metrics.middleware';
export * from './signal-library-console';
export * from './route-template';
