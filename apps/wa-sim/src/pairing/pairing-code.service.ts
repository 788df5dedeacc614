import { hkdfSync, randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { aesDecryptCTR, aesDecryptGCM, aesEncryptCTR, Curve, derivePairingCodeKey } from '@whiskeysockets/baileys';
import type { CompanionDevice, Phone } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { SimError } from '../common/sim-error';
import { newKeyPair } from '../persistence/key-codec';
import { childBytes, node, SERVER_JID, unixNow } from '../protocol/binary-node';
import { IqError, StanzaRouter, type IqRequest } from '../server/stanza-router.service';
import { DeviceLinker } from './device-linker.service';
import { PairingService } from './pairing.service';
import type { PendingRegistration } from './pending-registration';

const BUNDLE_KEY_INFO = 'link_code_pairing_key_bundle_encryption_key';
const COMPLETE_TIMEOUT_MS = 30_000;

interface Completion {
  resolve: (device: CompanionDevice) => void;
  reject: (error: Error) => void;
}

/**
 * Linking by pairing code (shared/WA-SIM.md §3): the companion sends `companion_hello`, the
 * phone "types" the code (a control call), both sides exchange wrapped ephemeral keys, and the
 * companion's key bundle proves the code matched before the usual pair-success flow.
 */
@Injectable()
export class PairingCodeService implements OnModuleInit {
  private readonly logger = new Logger('PairingCodeService');
  private readonly completions = new Map<PendingRegistration, Completion>();

  constructor(
    private readonly router: StanzaRouter,
    private readonly phones: PhoneRegistry,
    private readonly pairing: PairingService,
    private readonly linker: DeviceLinker,
  ) {}

  onModuleInit(): void {
    this.router.onIq('md', 'link_code_companion_reg', (request) => this.companionStage(request));
  }

  /** The phone enters the code shown by the companion; resolves once the device is linked. */
  async complete(phoneNumber: string, code: string): Promise<CompanionDevice> {
    const phone = this.phones.get(phoneNumber);
    const registration = this.pairing.codeRequestFor(phoneNumber);
    const request = registration?.codeRequest;
    if (!registration || !request) {
      throw SimError.notFound('PAIRING_CODE_NOT_REQUESTED', `no companion asked for a pairing code for ${phoneNumber}`);
    }
    request.companionEphemeral = await unwrapKey(request.wrappedCompanionEphemeral, code);
    const phoneEphemeral = newKeyPair();
    request.phoneEphemeral = phoneEphemeral;
    const linked = new Promise<CompanionDevice>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.completions.delete(registration);
        reject(new SimError('PAIRING_TIMEOUT', 'the companion did not finish pairing', 504));
      }, COMPLETE_TIMEOUT_MS);
      this.completions.set(registration, {
        resolve: (device) => (clearTimeout(timer), resolve(device)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
    registration.connection.send(
      node('notification', { from: SERVER_JID, id: randomBytes(8).toString('hex'), type: 'link_code_companion_reg', t: unixNow() }, [
        node('link_code_companion_reg', {}, [
          node('link_code_pairing_ref', {}, Buffer.from(request.ref, 'utf8')),
          node('primary_identity_pub', {}, phone.identity.public),
          node('link_code_pairing_wrapped_primary_ephemeral_pub', {}, await wrapKey(phoneEphemeral.public, code)),
        ]),
      ]),
    );
    return linked;
  }

  private async companionStage({ connection, query }: IqRequest): Promise<ReturnType<typeof node>[]> {
    const registration = this.pairing.registrationOn(connection);
    if (!registration) throw new IqError(400, 'bad-request');
    const stage = query?.attrs.stage;
    if (stage === 'companion_hello') {
      const ref = randomBytes(16).toString('base64url');
      const jid = query?.attrs.jid ?? '';
      registration.codeRequest = {
        phoneNumber: jid.split('@')[0]?.split(':')[0] ?? '',
        ref,
        wrappedCompanionEphemeral: childBytes(query, 'link_code_pairing_wrapped_companion_ephemeral_pub') ?? Buffer.alloc(0),
      };
      return [node('link_code_companion_reg', {}, [node('link_code_pairing_ref', {}, Buffer.from(ref, 'utf8'))])];
    }
    if (stage === 'companion_finish') {
      const advSecret = this.openKeyBundle(registration, childBytes(query, 'link_code_pairing_wrapped_key_bundle'));
      // Linking waits for the companion's reply to pair-success, which queues behind this iq.
      setImmediate(() => void this.finishLink(registration, advSecret));
      return [];
    }
    throw new IqError(400, 'bad-request');
  }

  /** Decrypts the companion's key bundle; failure means the code the phone entered was wrong. */
  private openKeyBundle(registration: PendingRegistration, bundle: Buffer | undefined): Buffer {
    const request = registration.codeRequest;
    const phone = request && this.phones.find(request.phoneNumber);
    if (!request?.phoneEphemeral || !request.companionEphemeral || !phone || !bundle) throw new IqError(400, 'bad-request');
    const ephemeralShared = Curve.sharedKey(request.phoneEphemeral.private, request.companionEphemeral);
    const salt = bundle.subarray(0, 32);
    const key = Buffer.from(hkdfSync('sha256', ephemeralShared, salt, BUNDLE_KEY_INFO, 32));
    let payload: Buffer;
    try {
      payload = aesDecryptGCM(bundle.subarray(44), key, bundle.subarray(32, 44), Buffer.alloc(0));
    } catch {
      this.fail(registration, new SimError('PAIRING_CODE_MISMATCH', 'the pairing code does not match the companion', 400));
      throw new IqError(400, 'bad-request');
    }
    const companionIdentity = payload.subarray(0, 32);
    const random = payload.subarray(64, 96);
    if (!companionIdentity.equals(registration.identityKey)) throw new IqError(400, 'bad-request');
    return this.advSecret(phone, ephemeralShared, companionIdentity, random);
  }

  private advSecret(phone: Phone, ephemeralShared: Buffer, companionIdentity: Buffer, random: Buffer): Buffer {
    const identityShared = Curve.sharedKey(phone.identity.private, companionIdentity);
    const material = Buffer.concat([ephemeralShared, identityShared, random]);
    return Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), 'adv_secret', 32));
  }

  private async finishLink(registration: PendingRegistration, advSecret: Buffer): Promise<void> {
    const phone = this.phones.get(registration.codeRequest?.phoneNumber ?? '');
    this.pairing.finish(registration);
    try {
      const device = await this.linker.link(registration, phone, advSecret);
      this.completions.get(registration)?.resolve(device);
    } catch (error) {
      this.logger.warn(`pairing by code failed: ${(error as Error).message}`);
      this.fail(registration, error as Error);
    }
    this.completions.delete(registration);
  }

  private fail(registration: PendingRegistration, error: Error): void {
    this.completions.get(registration)?.reject(error);
    this.completions.delete(registration);
  }
}

/** `salt(32) ‖ iv(16) ‖ AES-CTR(PBKDF2(code, salt), key)`: how both sides wrap ephemeral keys. */
async function wrapKey(publicKey: Buffer, code: string): Promise<Buffer> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const key = await derivePairingCodeKey(code, salt);
  return Buffer.concat([salt, iv, aesEncryptCTR(publicKey, key, iv)]);
}

async function unwrapKey(wrapped: Buffer, code: string): Promise<Buffer> {
  const key = await derivePairingCodeKey(code, wrapped.subarray(0, 32));
  return aesDecryptCTR(wrapped.subarray(48, 80), key, wrapped.subarray(32, 48));
}
