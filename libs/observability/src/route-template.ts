import type { Request } from 'express';

/** The route template Express matched (`/sessions/:id`), undefined before routing or when none matched. */
export function routeTemplate(request: Request): string | undefined {
  // Express types `route` as `any`; Nest registers its routes with string paths.
  const route: unknown = request.route;
  if (typeof route !== 'object' || route === null || !('path' in route) || typeof route.path !== 'string') return undefined;
  return route.path || undefined;
}
