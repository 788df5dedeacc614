import { Injectable } from '@nestjs/common';
import { AppError } from '@app/contracts';
import { PrismaService } from '../prisma.service';
import { isUniqueViolation } from '../users/unique-violation';

export type AllowedNumberStatus = 'active' | 'inactive';

/** Seed 002's persistence gate: history is stored for a device number while its row is active. */
export interface AllowedNumberRecord {
  id: string;
  /** The device's own number (digits with country code), not a contact's. */
  whatsappNumber: string;
  /** The session that had this number when the row was made (informational; the number is the key). */
  sessionId: string | null;
  status: AllowedNumberStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewAllowedNumber {
  whatsappNumber: string;
  sessionId: string | null;
  status: AllowedNumberStatus;
}

@Injectable()
export class AllowedNumberRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Since when history of the device with this number is stored (its last change to active), or
   * null while it is not. Throws when the database cannot say.
   */
  async activeSince(whatsappNumber: string): Promise<Date | null> {
    const row = await this.prisma.allowedNumber.findUnique({ where: { whatsappNumber }, select: { status: true, updatedAt: true } });
    return row?.status === 'active' ? row.updatedAt : null;
  }

  /** Rows of these numbers (every row when `numbers` is undefined), optionally one number only. */
  list(numbers: string[] | undefined, whatsappNumber?: string): Promise<AllowedNumberRecord[]> {
    const scope = numbers === undefined ? {} : { whatsappNumber: { in: numbers } };
    const only = whatsappNumber === undefined ? {} : { whatsappNumber };
    return this.prisma.allowedNumber.findMany({ where: { AND: [scope, only] }, orderBy: { createdAt: 'asc' } });
  }

  find(id: string): Promise<AllowedNumberRecord | null> {
    return this.prisma.allowedNumber.findUnique({ where: { id } });
  }

  /** CONFLICT (with the existing row's id) when the number is listed already. */
  async create(row: NewAllowedNumber): Promise<AllowedNumberRecord> {
    try {
      return await this.prisma.allowedNumber.create({ data: row });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.prisma.allowedNumber.findUnique({ where: { whatsappNumber: row.whatsappNumber }, select: { id: true } });
      throw new AppError('CONFLICT', `${row.whatsappNumber} is already an allowed number`, { id: existing?.id });
    }
  }

  /** Setting the status it already has changes nothing, so the row's active-since time holds. */
  async updateStatus(id: string, status: AllowedNumberStatus): Promise<AllowedNumberRecord> {
    const current = await this.find(id);
    if (current?.status === status) return current;
    return this.prisma.allowedNumber.update({ where: { id }, data: { status } });
  }

  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.allowedNumber.deleteMany({ where: { id } });
    return count > 0;
  }
}
