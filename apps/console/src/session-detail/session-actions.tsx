import { unwrap } from '../api/api-problem';
import { useConsole } from '../state/console-context';
import type { SessionRow } from '../state/console.reducer';
import { ConfirmButton, ProblemNotice, useAction } from '../ui/components';
import { routeHref } from '../ui/router';

/** Reconnect, log out, wipe and delete: each answer is the session's new view (or its removal). */
export function SessionActions({ session }: { session: SessionRow }) {
  const { api, dispatch } = useConsole();
  const [run, busy, problem] = useAction();
  const path = { params: { path: { id: session.id } } };
  const act = (call: () => Promise<Parameters<typeof dispatch>[0]>) => void run(async () => dispatch(await call()));

  return (
    <section aria-labelledby="actions-heading" class="card">
      <h2 id="actions-heading">Connection</h2>
      <div class="actions">
        <button
          type="button"
          class="button-secondary"
          disabled={busy}
          onClick={() => act(async () => ({ type: 'session.loaded', session: await unwrap(api.client.POST('/sessions/{id}/reconnect', path)) }))}
        >
          Reconnect
        </button>
        <ConfirmButton
          label="Log out"
          question={`Log out session ${session.name}?`}
          consequence="The phone's link to this session is removed. The session stays and can be linked again with a new QR code."
          confirmLabel="Log out"
          disabled={busy}
          onConfirm={() => act(async () => ({ type: 'session.loaded', session: await unwrap(api.client.POST('/sessions/{id}/logout', path)) }))}
        />
        <ConfirmButton
          label="Wipe"
          question={`Wipe session ${session.name}?`}
          consequence="Any connection or pairing in progress is cancelled and the saved credentials are erased. Linking again needs a new QR scan."
          confirmLabel="Wipe credentials"
          danger
          disabled={busy}
          onConfirm={() => act(async () => ({ type: 'session.loaded', session: await unwrap(api.client.POST('/sessions/{id}/wipe', path)) }))}
        />
        <ConfirmButton
          label="Delete"
          question={`Delete session ${session.name}?`}
          consequence="The session is logged out, its credentials are erased and its record is removed. This cannot be undone."
          confirmLabel="Delete session"
          danger
          disabled={busy}
          onConfirm={() =>
            void run(async () => {
              await unwrap(api.client.DELETE('/sessions/{id}', path));
              location.hash = routeHref({ page: 'sessions' });
              dispatch({ type: 'session.removed', sessionId: session.id });
            })
          }
        />
      </div>
      <ProblemNotice problem={problem} />
    </section>
  );
}
