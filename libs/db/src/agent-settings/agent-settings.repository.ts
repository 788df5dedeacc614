import { Injectable, Optional } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { RowCaches } from '../row-changes/row-caches';

/** A session's AI agent binding (seed 003 `endpoint_url_run` / `api_key`, seed 000 agent update). */
export interface AgentSettings {
  sessionId: string;
  /** Whose latest active `api_keys` token is the session's AI key (seed 003 `userId`). */
  clientUserId: string;
  /** The session's own AI endpoint; null = the default `${AI_BACKEND_URL}/agents/{id}/execute`. */
  endpointUrl: string | null;
  /** Sealed (SecretBox) session api key: the Bearer sent to the AI backend and accepted on agent routes. */
  apiKeyCipher: string | null;
  enabled: boolean;
}

/** Fields to change; an absent field keeps its value, null clears it. */
export interface AgentSettingsChange {
  endpointUrl?: string | null;
  apiKeyCipher?: string | null;
  enabled?: boolean;
}

const SELECT = { id: true, clientUserId: true, aiEndpointUrl: true, aiApiKeyCipher: true, aiEnabled: true } as const;

const toSettings = (row: {
  id: string;
  clientUserId: string;
  aiEndpointUrl: string | null;
  aiApiKeyCipher: string | null;
  aiEnabled: boolean;
}): AgentSettings => ({
  sessionId: row.id,
  clientUserId: row.clientUserId,
  endpointUrl: row.aiEndpointUrl,
  apiKeyCipher: row.aiApiKeyCipher,
  enabled: row.aiEnabled,
});

/** The AI columns of a session, read by whoever runs the agent and written by the agent route. */
@Injectable()
export class AgentSettingsRepository {
  constructor(
    private readonly prisma: PrismaService,
    @Optional() private readonly caches?: RowCaches,
  ) {}

  async find(sessionId: string): Promise<AgentSettings | null> {
    const row = await this.prisma.session.findUnique({ where: { id: sessionId }, select: SELECT });
    return row ? toSettings(row) : null;
  }

  async update(sessionId: string, change: AgentSettingsChange): Promise<AgentSettings> {
    const row = await this.prisma.session.update({
      where: { id: sessionId },
      data: { aiEndpointUrl: change.endpointUrl, aiApiKeyCipher: change.apiKeyCipher, aiEnabled: change.enabled },
      select: SELECT,
    });
    this.caches?.changed('sessions', sessionId);
    return toSettings(row);
  }
}
