export * from './address.policy';
export * from './safe-url.fetcher';
export * from './safe-fetch.module';
