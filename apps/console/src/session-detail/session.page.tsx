import { useEffect } from 'preact/hooks';
import { unwrap } from '../api/api-problem';
import { ownerName, useKnownUsers } from '../sessions/owner-names';
import { isLinkable, sessionStatusLabel, sessionStatusTone } from '../sessions/session-status';
import { canWrite, useConsole } from '../state/console-context';
import { Badge, EmptyState, ProblemNotice, RelativeTime, useAction, useNow } from '../ui/components';
import { displayPhone } from '../ui/format';
import { routeHref } from '../ui/router';
import { LinkPanel } from './link-panel';
import { ReceivedMessages, SentMessages } from './message-lists';
import { SendMessageForm } from './send-message.form';
import { SessionActions } from './session-actions';
import { AgentForm, WebhookForm } from './settings.forms';

/** One session: its live status, linking, test sends with their delivery, received messages, settings. */
export function SessionPage({ sessionId }: { sessionId: string }) {
  const { api, state, dispatch, me } = useConsole();
  const users = useKnownUsers();
  const now = useNow();
  const [run, busy, problem] = useAction();
  const session = state.sessions[sessionId];

  useEffect(
    () =>
      void run(async () =>
        dispatch({ type: 'session.loaded', session: await unwrap(api.client.GET('/sessions/{id}', { params: { path: { id: sessionId } } })) }),
      ),
    [sessionId],
  );

  if (!session) {
    return (
      <main id="main">
        <p>
          <a href={routeHref({ page: 'sessions' })}>← All sessions</a>
        </p>
        <h1 tabIndex={-1}>Session {sessionId}</h1>
        {busy ? (
          <p role="status">Loading…</p>
        ) : (
          <>
            <ProblemNotice problem={problem} title="This session could not be loaded." />
            <EmptyState title="No such session here.">
              <p>
                It may have been deleted, or it belongs to another account. Go back to <a href={routeHref({ page: 'sessions' })}>the sessions list</a> to create
                one.
              </p>
            </EmptyState>
          </>
        )}
      </main>
    );
  }

  const connected = session.status === 'connected';
  return (
    <main id="main">
      <p>
        <a href={routeHref({ page: 'sessions' })}>← All sessions</a>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>{session.name}</h1>
        <p class="session-status" role="status" aria-live="polite">
          <span class="visually-hidden">Status: </span>
          <Badge tone={sessionStatusTone(session.status)}>{sessionStatusLabel(session.status)}</Badge>
        </p>
      </div>
      <dl class="facts">
        <div>
          <dt>Session id</dt>
          <dd>
            <code>{session.id}</code>
          </dd>
        </div>
        <div>
          <dt>Phone</dt>
          <dd>{displayPhone(session.phone)}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{ownerName(session.ownerId, users, me.user?.id)}</dd>
        </div>
        <div>
          <dt>Worker</dt>
          <dd>{session.workerId ?? '—'}</dd>
        </div>
        <div>
          <dt>Status since</dt>
          <dd>{session.statusAt ? <RelativeTime iso={new Date(session.statusAt).toISOString()} now={now} /> : '—'}</dd>
        </div>
        <div>
          <dt>Last error</dt>
          <dd>{session.lastError ?? '—'}</dd>
        </div>
      </dl>
      <ProblemNotice problem={problem} />
      {isLinkable(session.status) && <LinkPanel session={session} now={now} />}
      {canWrite(me) && <SessionActions session={session} />}
      <div class="columns">
        <div>
          {canWrite(me) && (
            <SendMessageForm
              sessionId={session.id}
              disabledReason={
                connected
                  ? null
                  : `The session is ${sessionStatusLabel(session.status).toLowerCase()}: a message sent now waits for it or is refused. Link a phone (or reconnect) first.`
              }
            />
          )}
          <SentMessages messages={state.sent[session.id] ?? []} now={now} />
        </div>
        <ReceivedMessages messages={state.received[session.id] ?? []} now={now} />
      </div>
      <div class="columns">
        <WebhookForm sessionId={session.id} />
        <AgentForm sessionId={session.id} />
      </div>
    </main>
  );
}
