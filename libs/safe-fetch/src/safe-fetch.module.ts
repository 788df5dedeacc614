import { DynamicModule, Module } from '@nestjs/common';
import { Agent } from 'undici';
import { CoreConfig } from '@app/config';
import { AddressPolicy } from './address.policy';
import { SAFE_FETCH_DISPATCHER, SafeUrlFetcher } from './safe-url.fetcher';

/** Connecting is bounded on its own; the rest of a fetch shares the caller's deadline. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Provides SafeUrlFetcher. `allowList` picks the allow-listed destinations from the app's config
 * (CIDRs, addresses or host names that may be reached although they are not public).
 */
@Module({})
export class SafeFetchModule {
  static register(allowList: (config: CoreConfig) => readonly string[]): DynamicModule {
    return {
      module: SafeFetchModule,
      providers: [
        { provide: AddressPolicy, inject: [CoreConfig], useFactory: (config: CoreConfig) => new AddressPolicy(allowList(config)) },
        {
          provide: SAFE_FETCH_DISPATCHER,
          inject: [AddressPolicy],
          useFactory: (policy: AddressPolicy) => new Agent({ connect: { lookup: policy.guardedLookup(), timeout: CONNECT_TIMEOUT_MS } }),
        },
        SafeUrlFetcher,
      ],
      exports: [SafeUrlFetcher],
    };
  }
}
