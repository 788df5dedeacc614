import { DbFixtures } from '../support/db-fixtures';
import { eventually, SuiteHarness } from '../support/suite-harness';

const SESSIONS = 4;
const PER_SESSION = 8;

/**
 * Many sessions of one worker writing to the same contact at once. libsignal serialises the work
 * on one Signal address through a queue shared by every session of the process; before the worker
 * bound each queued job to its caller's async context, one session's encryption could run inside
 * another's Baileys transaction, its session record update was lost, and its next message reused
 * a message key: sent, but never decryptable by the contact (2 of 15 here, most runs).
 */
describe('sessions of one worker sending to the same contact at once', () => {
  const suite = new SuiteHarness({ workers: 1, env: { SEND_RATE_PER_MINUTE: '0', SEND_QUEUE_MAX: '0' } });
  const fixtures = new DbFixtures();
  const sessionIds = Array.from({ length: SESSIONS }, (_, index) => `together-${index}`);
  let contact: string;

  beforeAll(async () => {
    await suite.start();
    const userId = (await fixtures.user()).id;
    for (const sessionId of sessionIds) await suite.linkSession(sessionId, userId);
    contact = await suite.newContact('Shared contact');
  }, 180_000);

  afterAll(async () => {
    await suite.stop();
    await fixtures.close();
  });

  const send = (sessionId: string, text: string) => suite.api.post(`/agents/${sessionId}/messages`, { to: contact, message: text });
  const decryptedTexts = async () => (await suite.sim.client.sentMessages({ to: contact })).map((record) => record.text);

  it('has every message decrypted by the contact, exactly once', async () => {
    // The first message of each session opens its Signal session with the contact, all at once.
    const hellos = await Promise.all(sessionIds.map((sessionId) => send(sessionId, `${sessionId} hello`)));
    expect(hellos.map((hello) => hello.status)).toEqual(sessionIds.map(() => 201));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const texts = sessionIds.flatMap((sessionId) => Array.from({ length: PER_SESSION }, (_, index) => `${sessionId} #${index}`));
    const answers = await Promise.all(texts.map((text) => send(text.split(' ')[0], text)));
    expect(answers.map((answer) => answer.status)).toEqual(texts.map(() => 201));

    const expected = [...sessionIds.map((sessionId) => `${sessionId} hello`), ...texts].sort();
    const received = await eventually(
      async () => {
        const decrypted = (await decryptedTexts()).sort();
        return decrypted.length >= expected.length ? decrypted : undefined;
      },
      30_000,
      `${expected.length} messages decrypted by the contact`,
    );
    expect(received).toEqual(expected);
  });
});
