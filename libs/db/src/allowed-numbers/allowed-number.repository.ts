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
  /** Start of the current active period (null while inactive): history is kept from then on. */
  activeSince: Date | null;
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

  /** Since when history of the device with this number is stored, or null while it is not. Throws when the database cannot say. */
  async activeSince(whatsappNumber: string): Promise<Date | null> {
    const row = await this.prisma.allowedNumber.findUnique({ where: { whatsappNumber }, select: { status: true, activeSince: true } });
    return row?.status === 'active' ? row.activeSince : null;
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
      // An active row's period starts now (the column's default); an inactive one has none yet.
      return await this.prisma.allowedNumber.create({ data: row.status === 'active' ? row : { ...row, activeSince: null } });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.prisma.allowedNumber.findUnique({ where: { whatsappNumber: row.whatsappNumber }, select: { id: true } });
      throw new AppError('CONFLICT', `${row.whatsappNumber} is already an allowed number`, { id: existing?.id });
    }
  }

  /**
   * A change to active opens a new active period, a change to inactive closes it; setting the
   * status the row already has changes nothing. One statement, so concurrent changes cannot interleave.
   */
  async updateStatus(id: string, status: AllowedNumberStatus): Promise<AllowedNumberRecord> {
    await this.prisma.$executeRaw`
      UPDATE allowed_numbers SET status = ${status}::"AllowedNumberStatus", updated_at = now(),
        active_since = CASE WHEN ${status} = 'active' THEN now() ELSE NULL END
      WHERE id = ${id} AND status::text <> ${status}`;
    const row = await this.find(id);
    if (!row) throw new AppError('NOT_FOUND', `Allowed number ${id} does not exist`);
    return row;
  }

  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.allowedNumber.deleteMany({ where: { id } });
    return count > 0;
  }
}
