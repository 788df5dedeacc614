import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

/**
 * The `api_keys` table shared with the AI backend (seed 003). The gateway only reads it: the
 * latest active `access_token` of a user is the key their sessions should carry.
 */
@Injectable()
export class SharedApiKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  async findLatestActiveToken(userId: string): Promise<string | null> {
    const row = await this.prisma.sharedApiKey.findFirst({
      where: { userId, isActive: true },
      orderBy: { createdAt: 'desc' },
      select: { accessToken: true },
    });
    return row?.accessToken ?? null;
  }
}
