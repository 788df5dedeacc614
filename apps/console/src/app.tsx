import { useCallback, useEffect, useMemo, useReducer, useState } from 'preact/hooks';
import { ApiError, unwrap } from './api/api-problem';
import { createConsoleApi } from './api/console-api';
import { clearCredential, readCredential, saveCredential, type Credential } from './auth/credential.store';
import { SignInPage, whoIs } from './auth/sign-in.page';
import { connectConsoleLive } from './live/live-connection';
import { ConsoleContext, isAdmin, type Me } from './state/console-context';
import { consoleReducer, initialConsoleState } from './state/console.reducer';
import { Pages, useRoute } from './pages';
import { routeHref, type Route } from './ui/router';

interface Signed {
  credential: Credential;
  me: Me;
}

/** Signed out, signing back in from the stored credential, or signed in. */
export function App({ baseUrl }: { baseUrl: string }) {
  const [signed, setSigned] = useState<Signed | null>(null);
  const [restoring, setRestoring] = useState(() => readCredential(sessionStorage) !== null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const stored = readCredential(sessionStorage);
    if (!stored) return;
    whoIs(baseUrl, stored)
      .then((me) => setSigned({ credential: stored, me }))
      .catch((error: unknown) => {
        clearCredential(sessionStorage);
        setNotice(error instanceof ApiError && error.problem.status === 401 ? 'Your sign-in has expired. Please sign in again.' : null);
      })
      .finally(() => setRestoring(false));
  }, [baseUrl]);

  const signOut = useCallback((reason: string | null) => {
    clearCredential(sessionStorage);
    setSigned(null);
    setNotice(reason);
  }, []);

  if (restoring)
    return (
      <p class="loading" role="status">
        Signing you back in…
      </p>
    );
  if (!signed) {
    return (
      <SignInPage
        baseUrl={baseUrl}
        notice={notice}
        onSignedIn={(credential, me) => {
          saveCredential(sessionStorage, credential);
          setNotice(null);
          setSigned({ credential, me });
        }}
      />
    );
  }
  return <SignedInConsole baseUrl={baseUrl} signed={signed} signOut={signOut} />;
}

function SignedInConsole({ baseUrl, signed, signOut }: { baseUrl: string; signed: Signed; signOut: (reason: string | null) => void }) {
  const [state, dispatch] = useReducer(consoleReducer, initialConsoleState);
  const route = useRoute();
  const api = useMemo(
    () => createConsoleApi(baseUrl, signed.credential, () => signOut('Your sign-in has expired or was revoked. Please sign in again.')),
    [baseUrl, signed.credential, signOut],
  );

  const reloadSessions = useCallback(async () => {
    dispatch({ type: 'sessions.loaded', sessions: await unwrap(api.client.GET('/sessions')) });
  }, [api]);

  useEffect(() => {
    const live = connectConsoleLive({
      baseUrl,
      getTicket: async () => (await unwrap(api.client.POST('/events/tickets'))).ticket,
      dispatch,
      onGap: () => void reloadSessions().catch(() => undefined),
    });
    // The list is loaded once; from then on live events keep it current (no polling).
    void reloadSessions().catch(() => undefined);
    return () => live.close();
  }, [api, baseUrl, reloadSessions]);

  const { me } = signed;
  const who = me.user ? me.user.email : me.via === 'admin-key' ? 'bootstrap admin key' : 'API key';
  const nav: Array<{ route: Route; label: string }> = [
    { route: { page: 'sessions' }, label: 'Sessions' },
    ...(isAdmin(me)
      ? [
          { route: { page: 'workers' } as Route, label: 'Workers' },
          { route: { page: 'users' } as Route, label: 'Users' },
        ]
      : []),
    ...(me.user ? [{ route: { page: 'account' } as Route, label: 'My API keys' }] : []),
  ];
  const current = route.page === 'session' ? 'sessions' : route.page;

  return (
    <ConsoleContext.Provider value={{ api, me, state, dispatch, reloadSessions }}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={routeHref({ page: 'sessions' })}>
          WA gateway
        </a>
        <nav aria-label="Console">
          <ul>
            {nav.map((item) => (
              <li key={item.route.page}>
                <a href={routeHref(item.route)} aria-current={current === item.route.page ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p class={`stream stream-${state.stream}`} role="status" aria-live="polite">
          <span aria-hidden="true" class="dot" />
          {state.stream === 'live' ? 'Live' : state.stream === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </p>
        <p class="who">
          <span class="visually-hidden">Signed in as </span>
          {who} <span class="role">({me.role})</span>
        </p>
        <button type="button" class="button-secondary" onClick={() => signOut('You are signed out.')}>
          Sign out
        </button>
      </header>
      <Pages route={route} />
    </ConsoleContext.Provider>
  );
}
