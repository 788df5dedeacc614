import { Injectable } from '@nestjs/common';
import { buildCertificateChain } from '../protocol/certificate-chain';
import { loadKeyPair, newKeyPair, storeKeyPair, type KeyPair, type StoredKeyPair } from './key-codec';
import { SimStateStore } from './sim-state-store';

interface StoredServerIdentity {
  root: StoredKeyPair;
  intermediate: StoredKeyPair;
  serverStatic: StoredKeyPair;
}

const KEY = 'server-identity';

/**
 * The simulator's certificate root, intermediate and Noise static key. Created once and persisted,
 * so clients configured with the root public key keep trusting a restarted simulator.
 */
@Injectable()
export class ServerIdentityService {
  readonly root: KeyPair;
  readonly serverStatic: KeyPair;
  readonly certificateChain: Uint8Array;

  constructor(state: SimStateStore) {
    const stored = state.files.read<StoredServerIdentity>(KEY) ?? this.create(state);
    this.root = loadKeyPair(stored.root);
    this.serverStatic = loadKeyPair(stored.serverStatic);
    this.certificateChain = buildCertificateChain(this.root, loadKeyPair(stored.intermediate), this.serverStatic);
  }

  get rootPublicKeyHex(): string {
    return this.root.public.toString('hex');
  }

  private create(state: SimStateStore): StoredServerIdentity {
    const identity = {
      root: storeKeyPair(newKeyPair()),
      intermediate: storeKeyPair(newKeyPair()),
      serverStatic: storeKeyPair(newKeyPair()),
    };
    state.files.writeNow(KEY, identity);
    return identity;
  }
}
