export * from './ai-run.payload';
export * from './ai-backend.client';
export * from './agent-target.resolver';
export * from './ai-backend.module';
