import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

/**
 * Seed 002's chatbot per sender number, within one session: whether the AI agent answers that
 * number, and optionally a different endpoint for it.
 */
export interface ChatbotBindingRecord {
  id: string;
  sessionId: string;
  /** Digits with country code. */
  senderNumber: string;
  endpointUrl: string | null;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ChatbotBindingChange {
  endpointUrl?: string | null;
  enabled?: boolean;
}

@Injectable()
export class ChatbotBindingRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(sessionId: string): Promise<ChatbotBindingRecord[]> {
    return this.prisma.chatbotBinding.findMany({ where: { sessionId }, orderBy: { senderNumber: 'asc' } });
  }

  find(sessionId: string, senderNumber: string): Promise<ChatbotBindingRecord | null> {
    return this.prisma.chatbotBinding.findUnique({ where: { sessionId_senderNumber: { sessionId, senderNumber } } });
  }

  /** Creates the binding (enabled unless said otherwise) or changes the given fields of the existing one. */
  upsert(sessionId: string, senderNumber: string, change: ChatbotBindingChange): Promise<ChatbotBindingRecord> {
    return this.prisma.chatbotBinding.upsert({
      where: { sessionId_senderNumber: { sessionId, senderNumber } },
      create: { sessionId, senderNumber, endpointUrl: change.endpointUrl ?? null, enabled: change.enabled ?? true },
      update: { endpointUrl: change.endpointUrl, enabled: change.enabled },
    });
  }

  async delete(sessionId: string, senderNumber: string): Promise<boolean> {
    const { count } = await this.prisma.chatbotBinding.deleteMany({ where: { sessionId, senderNumber } });
    return count > 0;
  }
}
