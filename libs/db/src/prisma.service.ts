import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PrismaClient } from './generated/client';

/**
 * The one Prisma client of a process. Only repositories in this library inject it; services
 * depend on repositories and never see a Prisma type.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
