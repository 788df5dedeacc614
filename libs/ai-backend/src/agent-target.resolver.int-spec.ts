import { PrismaPg } from '@prisma/adapter-pg';
import { Agent } from 'undici';
import { AiBackendConfig, loadConfig } from '@app/config';
import { SecretBox } from '@app/crypto';
import { AgentSettingsRepository, ChatbotBindingRepository, SharedApiKeyRepository } from '@app/db';
import { AddressPolicy, SafeUrlFetcher } from '@app/safe-fetch';
import { PrismaService } from '../../db/src/prisma.service';
import { DbFixtures } from '../../../test/support/db-fixtures';
import { baseTestEnv, requiredEnv } from '../../../test/support/test-env';
import { AgentTargetResolver } from './agent-target.resolver';
import { AiBackendClient } from './ai-backend.client';

describe('AgentTargetResolver: the AI key in seed 003 order', () => {
  const fixtures = new DbFixtures();
  const prisma = new PrismaService({ adapter: new PrismaPg({ connectionString: requiredEnv('DATABASE_URL') }) });
  const box = new SecretBox(requiredEnv('ENCRYPTION_KEY'));
  const policy = new AddressPolicy([]);
  const fetcher = new SafeUrlFetcher(policy, new Agent({ connect: { lookup: policy.guardedLookup() } }));
  const resolver = new AgentTargetResolver(
    new AgentSettingsRepository(prisma),
    new ChatbotBindingRepository(prisma),
    new SharedApiKeyRepository(prisma),
    box,
    new AiBackendClient(loadConfig(AiBackendConfig, baseTestEnv({ AI_BACKEND_URL: 'https://ai.example.com' })), fetcher),
  );

  /** A session of a fresh owner created for the seed 003 user `clientUserId`, with its own key. */
  const sessionFor = async (clientUserId: string, sessionKey: string | null) => {
    const owner = await fixtures.user();
    const session = await fixtures.session(owner.id, { clientUserId });
    if (sessionKey) await fixtures.prisma.session.update({ where: { id: session.id }, data: { aiApiKeyCipher: box.seal(sessionKey) } });
    return { sessionId: session.id, ownerId: owner.id };
  };
  const sharedKey = (userId: string, accessToken: string, isActive = true, ageMs = 0) =>
    fixtures.prisma.sharedApiKey.create({ data: { userId, accessToken, isActive, createdAt: new Date(Date.now() - ageMs) } });

  afterAll(async () => {
    await fetcher.onApplicationShutdown();
    await prisma.$disconnect();
    await fixtures.close();
  });

  it("takes the latest active api_keys token of the session's userId before the session's own key", async () => {
    const clientUser = `client-user-${Date.now()}`;
    const { sessionId } = await sessionFor(clientUser, 'sk-session-own');
    await sharedKey(clientUser, 'sk-shared-older', true, 60_000);
    await sharedKey(clientUser, 'sk-shared-latest', true, 1_000);
    await sharedKey(clientUser, 'sk-shared-revoked', false);
    expect(await resolver.resolve(sessionId, null)).toMatchObject({
      apiKey: 'sk-shared-latest',
      endpoint: `https://ai.example.com/agents/${sessionId}/execute`,
    });
  });

  it("falls back to the session's own key when api_keys has no active token for its userId", async () => {
    const clientUser = `client-user-${Date.now()}-b`;
    const { sessionId, ownerId } = await sessionFor(clientUser, 'sk-session-own');
    await sharedKey(clientUser, 'sk-only-inactive', false);
    // The owner's id is not the session's userId here: its tokens are not the session's.
    await sharedKey(ownerId, 'sk-of-the-owner');
    expect((await resolver.resolve(sessionId, null))?.apiKey).toBe('sk-session-own');
  });

  it('calls without a key when neither exists', async () => {
    const { sessionId } = await sessionFor(`client-user-${Date.now()}-c`, null);
    expect((await resolver.resolve(sessionId, null))?.apiKey).toBeNull();
  });
});
