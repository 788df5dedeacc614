import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

export interface NewMediaObject {
  sessionId: string;
  sha256: string;
  mimeType: string;
  fileName: string | null;
  bytes: Buffer;
}

/** A stored media object without its bytes (what listings and intake answers need). */
export interface MediaObjectRecord {
  id: string;
  sessionId: string;
  sha256: string;
  mimeType: string;
  fileName: string | null;
  size: number;
  createdAt: Date;
}

export interface MediaObjectWithBytes extends MediaObjectRecord {
  bytes: Buffer;
}

const WITHOUT_BYTES = { id: true, sessionId: true, sha256: true, mimeType: true, fileName: true, size: true, createdAt: true } as const;

/**
 * Media bytes of accepted sends, kept in PostgreSQL so whichever worker sends the message (now,
 * after a failover, or when a schedule falls due) reads the same bytes.
 */
@Injectable()
export class MediaRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(media: NewMediaObject): Promise<MediaObjectRecord> {
    return this.prisma.mediaObject.create({
      // Buffers are never backed by a SharedArrayBuffer here; the cast avoids copying up to MEDIA_MAX_BYTES.
      data: { ...media, size: media.bytes.length, bytes: media.bytes as Uint8Array<ArrayBuffer> },
      select: WITHOUT_BYTES,
    });
  }

  /** The object with its bytes, for the worker that sends it. */
  async findWithBytes(id: string): Promise<MediaObjectWithBytes | null> {
    const found = await this.prisma.mediaObject.findUnique({ where: { id } });
    if (!found) return null;
    const { bytes, ...record } = found;
    return { ...record, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  /**
   * Deletes media created before `olderThan` that no message still waiting to go out refers to
   * (queued or sending outbound messages, pending schedules). For the scheduler's cleanup.
   */
  async purgeUnreferenced(olderThan: Date): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM media_objects m
      WHERE m.created_at < ${olderThan}
        AND NOT EXISTS (SELECT 1 FROM outbound_messages o
                        WHERE o.status IN ('queued', 'sending') AND o.content->>'mediaId' = m.id)
        AND NOT EXISTS (SELECT 1 FROM scheduled_messages s
                        WHERE s.status = 'pending' AND s.content->>'mediaId' = m.id)`;
  }
}
