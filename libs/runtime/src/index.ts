export * from './run-app';
export * from './within-deadline';
