import { useState } from 'preact/hooks';
import { unwrap } from '../api/api-problem';
import { canWrite, isAdmin, useConsole } from '../state/console-context';
import { sortedSessions } from '../state/console.reducer';
import { Badge, EmptyState, ProblemNotice, useAction } from '../ui/components';
import { displayPhone, sessionIdProblem } from '../ui/format';
import { routeHref } from '../ui/router';
import { ownerName, useKnownUsers } from './owner-names';
import { sessionStatusLabel, sessionStatusTone } from './session-status';

export function SessionsPage() {
  const { state, me } = useConsole();
  const users = useKnownUsers();
  const sessions = sortedSessions(state);
  return (
    <main id="main">
      <h1 tabIndex={-1}>Sessions</h1>
      <p class="lead">Each session is one linked WhatsApp account. Statuses change here live as phones link, drop and come back.</p>
      {canWrite(me) && <CreateSessionForm users={users} />}
      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">All sessions{state.sessionsLoaded ? ` (${sessions.length})` : ''}</h2>
        {!state.sessionsLoaded ? (
          <p role="status">Loading sessions…</p>
        ) : sessions.length === 0 ? (
          <EmptyState title="No sessions yet.">
            <p>
              {canWrite(me)
                ? 'Create one with the form above, then scan its QR code with WhatsApp on the phone (Settings → Linked devices → Link a device).'
                : 'Your account can only read: ask an admin or a session owner to create one.'}
            </p>
          </EmptyState>
        ) : (
          <table class="table sessions-table">
            <caption class="visually-hidden">Sessions with their live status</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Status</th>
                <th scope="col">Owner</th>
                <th scope="col">Phone</th>
                <th scope="col">Worker</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.id} data-session-id={session.id}>
                  <th scope="row" data-label="Session">
                    <a href={routeHref({ page: 'session', sessionId: session.id })}>{session.name}</a>
                    {session.name !== session.id && <span class="muted"> ({session.id})</span>}
                  </th>
                  <td data-label="Status">
                    <Badge tone={sessionStatusTone(session.status)}>{sessionStatusLabel(session.status)}</Badge>
                  </td>
                  <td data-label="Owner">{ownerName(session.ownerId, users, me.user?.id)}</td>
                  <td data-label="Phone">{displayPhone(session.phone)}</td>
                  <td data-label="Worker">{session.workerId ?? '—'}</td>
                  <td data-label="Last error">{session.lastError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

function CreateSessionForm({ users }: { users: ReturnType<typeof useKnownUsers> }) {
  const { api, me, dispatch } = useConsole();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [ownerId, setOwnerId] = useState(me.user?.id ?? '');
  const [run, busy, problem] = useAction();
  const idProblem = id ? sessionIdProblem(id) : null;

  const submit = (event: Event) => {
    event.preventDefault();
    if (sessionIdProblem(id)) return;
    void run(async () => {
      const session = await unwrap(
        api.client.POST('/sessions', {
          // The QR arrives as a live event: no need to hold the request open for it.
          body: { agentId: id, agentName: name.trim() || id, ownerId: ownerId || undefined, waitForQr: false },
        }),
      );
      dispatch({ type: 'session.loaded', session });
      location.hash = routeHref({ page: 'session', sessionId: session.id });
    });
  };

  return (
    <section aria-labelledby="create-heading" class="card">
      <h2 id="create-heading">Create a session</h2>
      <form class="form-grid" onSubmit={submit}>
        <div class="field">
          <label for="session-id">Session id</label>
          <input
            id="session-id"
            required
            value={id}
            onInput={(e) => setId(e.currentTarget.value.trim())}
            aria-describedby="session-id-hint"
            aria-invalid={idProblem ? 'true' : undefined}
            autocomplete="off"
            spellcheck={false}
          />
          <p id="session-id-hint" class={idProblem ? 'hint hint-bad' : 'hint'}>
            {idProblem ?? '3–50 letters, digits, "-" or "_"; used in API paths.'}
          </p>
        </div>
        <div class="field">
          <label for="session-name">Display name</label>
          <input id="session-name" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="Optional" />
        </div>
        {isAdmin(me) && (
          <div class="field">
            <label for="session-owner">Owner</label>
            <select id="session-owner" required value={ownerId} onChange={(e) => setOwnerId(e.currentTarget.value)}>
              {!me.user && <option value="">Choose a user…</option>}
              {users.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.email}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field field-action">
          <button type="submit" class="button-primary" disabled={busy || Boolean(idProblem)}>
            {busy ? 'Creating…' : 'Create and link'}
          </button>
        </div>
      </form>
      <ProblemNotice problem={problem} title="The session was not created." />
    </section>
  );
}
