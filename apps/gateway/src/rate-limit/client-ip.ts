import type { Request } from 'express';

/** The client's IP as Express sees it (TRUST_PROXY decides whether X-Forwarded-For counts), IPv4 unmapped. */
export function clientIp(request: Request): string {
  const ip = request.ip ?? request.socket.remoteAddress ?? 'unknown';
  return normalizeIp(ip);
}

/** `::ffff:10.0.0.1` and `10.0.0.1` are the same client. */
export const normalizeIp = (ip: string): string =>
  ip
    .trim()
    .toLowerCase()
    .replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
