import { useEffect, useState } from 'preact/hooks';
import { ApiKeysPage } from './admin/api-keys.panel';
import { UsersPage } from './admin/users.page';
import { WorkersPage } from './admin/workers.page';
import { SessionPage } from './session-detail/session.page';
import { SessionsPage } from './sessions/sessions.page';
import { isAdmin, useConsole } from './state/console-context';
import { EmptyState } from './ui/components';
import { isAdminPage, parseRoute, routeHref, type Route } from './ui/router';

/** The page the URL's hash names, following hash changes (back/forward, links). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return route;
}

export function Pages({ route }: { route: Route }) {
  const { me } = useConsole();
  // Each page starts at the top with focus on its heading, for keyboard and screen-reader users.
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [route]);
  if (isAdminPage(route) && !isAdmin(me)) {
    return (
      <main id="main">
        <h1 tabIndex={-1}>Admins only</h1>
        <EmptyState title="This page is for admins.">
          <p>
            Ask an admin for access, or go back to <a href={routeHref({ page: 'sessions' })}>your sessions</a>.
          </p>
        </EmptyState>
      </main>
    );
  }
  switch (route.page) {
    case 'session':
      return <SessionPage key={route.sessionId} sessionId={route.sessionId} />;
    case 'workers':
      return <WorkersPage />;
    case 'users':
      return <UsersPage />;
    case 'account':
      return <ApiKeysPage />;
    default:
      return <SessionsPage />;
  }
}
