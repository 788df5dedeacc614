import { isAdminPage, parseRoute, routeHref, type Route } from './router';

describe('console routes', () => {
  it('reads the page from the hash, the sessions list by default', () => {
    expect(parseRoute('')).toEqual({ page: 'sessions' });
    expect(parseRoute('#/')).toEqual({ page: 'sessions' });
    expect(parseRoute('#/sessions')).toEqual({ page: 'sessions' });
    expect(parseRoute('#/sessions/demo')).toEqual({ page: 'session', sessionId: 'demo' });
    expect(parseRoute('#/workers')).toEqual({ page: 'workers' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'sessions' });
  });

  it('writes links that read back as the same route', () => {
    const routes: Route[] = [{ page: 'sessions' }, { page: 'session', sessionId: 'shop_01-a' }, { page: 'users' }, { page: 'account' }, { page: 'workers' }];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it('marks the admin pages', () => {
    expect([{ page: 'workers' }, { page: 'users' }, { page: 'sessions' }, { page: 'account' }].map((route) => isAdminPage(route as Route))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
