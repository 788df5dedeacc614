import { isLidUser, isPnUser, type SignalKeyStoreWithTransaction } from '@whiskeysockets/baileys';
import { buildMergedTcTokenIndexWrite, resolveTcTokenJid, shouldSendNewTcToken } from '@whiskeysockets/baileys/lib/Utils/tc-token-utils.js';

interface TcTokenEntry {
  token?: Uint8Array;
  timestamp?: number | string;
  senderTimestamp?: number;
}

/**
 * After a send to a contact, Baileys (7.0.0-rc14) issues our privacy token (tctoken) to them and
 * records when (`senderTimestamp`), so that it issues again only in a later token period. It makes
 * that record from inside the send's key transaction after the transaction has committed, so the
 * record is lost and Baileys issues the token again with nearly every message: an extra IQ to
 * WhatsApp per message, and unusual traffic from this account. This makes the record Baileys
 * meant to make, outside the transaction, once per contact and token period.
 */
export async function recordPrivacyTokenIssued(
  keys: SignalKeyStoreWithTransaction,
  lidForPhoneNumber: (jid: string) => Promise<string | null>,
  recipientJid: string,
  now = Math.floor(Date.now() / 1000),
): Promise<void> {
  if (!isPnUser(recipientJid) && !isLidUser(recipientJid)) return;
  const storageJid = await resolveTcTokenJid(recipientJid, lidForPhoneNumber);
  const existing = (await keys.get('tctoken', [storageJid]))[storageJid] as TcTokenEntry | undefined;
  if (existing?.senderTimestamp !== undefined && !shouldSendNewTcToken(existing.senderTimestamp)) return;
  const index = await buildMergedTcTokenIndexWrite(keys, [storageJid]);
  await keys.set({ tctoken: { ...index, [storageJid]: { token: Buffer.alloc(0), ...existing, senderTimestamp: now } } });
}
