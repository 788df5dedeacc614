import { AppError, type GroupInfo } from '@app/contracts';
import { WhatsAppRequestError, type GroupOperations } from '../whatsapp/whatsapp-connection';
import { SessionGroups } from './session-groups';

const GROUP = '120363041234567890@g.us';

const info = (subject: string, id: string): GroupInfo => ({
  id,
  subject,
  description: null,
  owner: null,
  createdAt: null,
  size: 1,
  addressingMode: 'lid',
  announce: false,
  restrict: false,
  participants: [],
});

function groupsFailingWith(error: Error): SessionGroups {
  const fail = () => Promise.reject(error);
  return new SessionGroups({ create: fail, metadata: fail, participating: fail, updateParticipants: fail, inviteCode: fail, revokeInvite: fail });
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('SessionGroups', () => {
  it.each([
    [401, 'FORBIDDEN', 'not an admin of group'],
    [403, 'FORBIDDEN', 'not a member of group'],
    [404, 'NOT_FOUND', `Group ${GROUP} does not exist`],
    [400, 'INVALID_PAYLOAD', 'WhatsApp refused the request'],
    [428, 'SESSION_NOT_READY', 'connection to WhatsApp closed'],
    [408, 'BAD_GATEWAY', 'did not answer'],
    [500, 'BAD_GATEWAY', '(500)'],
  ] as const)('turns WhatsApp status %d into %s', async (status, code, message) => {
    const error = await refusal(groupsFailingWith(new WhatsAppRequestError(status, 'refused')).participants(GROUP, 'add', ['6281234567890@s.whatsapp.net']));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(error.details).toEqual({ whatsappStatus: status, groupId: GROUP });
  });

  it('lets errors that are not WhatsApp refusals through unchanged', async () => {
    const bug = new TypeError('a bug');
    await expect(groupsFailingWith(bug).info(GROUP)).rejects.toBe(bug);
  });

  it('reports each participant with its outcome', async () => {
    const answers = [200, 409, 404, 403, 408, 500].map((status, index) => ({ jid: `62812345678${index}@s.whatsapp.net`, status }));
    const groups = new SessionGroups({ updateParticipants: () => Promise.resolve(answers) } as unknown as GroupOperations);
    const { results } = await groups.participants(
      GROUP,
      'add',
      answers.map((answer) => answer.jid),
    );
    expect(results.map((result) => result.outcome)).toEqual(['done', 'already_member', 'not_found', 'not_allowed', 'recently_left', 'failed']);
    expect(results[0]).toEqual({ jid: answers[0].jid, status: 200, outcome: 'done' });
  });

  it('lists groups by subject', async () => {
    const groups = new SessionGroups({ participating: () => Promise.resolve([info('Zeta', '2@g.us'), info('Alpha', '1@g.us')]) } as unknown as GroupOperations);
    expect((await groups.list()).groups.map((group) => group.subject)).toEqual(['Alpha', 'Zeta']);
  });
});
