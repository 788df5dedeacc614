/**
 * The console's pages, addressed by the URL's hash (`#/sessions/demo`): the gateway serves one
 * static index.html, and a reload or a shared link opens the same page.
 */
export type Route = { page: 'sessions' } | { page: 'session'; sessionId: string } | { page: 'workers' } | { page: 'users' } | { page: 'account' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second] = parts;
  if (first === 'sessions' && second) return { page: 'session', sessionId: second };
  if (first === 'workers' || first === 'users' || first === 'account') return { page: first };
  return { page: 'sessions' };
}

export function routeHref(route: Route): string {
  return route.page === 'session' ? `#/sessions/${encodeURIComponent(route.sessionId)}` : `#/${route.page}`;
}

/** Pages only admins see. */
export const isAdminPage = (route: Route): boolean => route.page === 'workers' || route.page === 'users';
