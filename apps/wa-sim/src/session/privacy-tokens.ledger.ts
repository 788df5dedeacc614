import { Injectable } from '@nestjs/common';

/**
 * Privacy tokens (tctoken) each account's companions issued to contacts, counted per account.
 * WhatsApp expects a companion to issue its token to a contact once per token period, not with
 * every message: tests read the count to catch a client that issues again and again.
 */
@Injectable()
export class PrivacyTokensLedger {
  private readonly issuedBy = new Map<string, number>();

  record(phoneNumber: string, tokens: number): void {
    this.issuedBy.set(phoneNumber, (this.issuedBy.get(phoneNumber) ?? 0) + tokens);
  }

  issuedCount(phoneNumber: string): number {
    return this.issuedBy.get(phoneNumber) ?? 0;
  }
}
