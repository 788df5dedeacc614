import { Injectable } from '@nestjs/common';
import { PrismaService } from './prisma.service';

/** Answers whether PostgreSQL is reachable, for health checks. */
@Injectable()
export class DatabaseProbe {
  constructor(private readonly prisma: PrismaService) {}

  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }
}
