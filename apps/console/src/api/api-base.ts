/**
 * The gateway's base URL as seen from the console's own address: the gateway serves the console
 * at `<gateway>/console/`, so the API is whatever comes before `/console` (also behind a reverse
 * proxy that adds a path prefix).
 */
export function apiBaseFromLocation(href: string): string {
  const url = new URL(href);
  const at = url.pathname.lastIndexOf('/console');
  const prefix = at >= 0 ? url.pathname.slice(0, at) : '';
  return `${url.origin}${prefix}`;
}
