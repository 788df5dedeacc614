export const MEDIA_OPTIONS = Symbol('MEDIA_OPTIONS');

/** The media module's folder in the state directory (identity, ca.pem, blobs). */
export const MEDIA_FOLDER = 'media';

/** Where the media host listens and the name companions reach it by. */
export interface MediaOptions {
  /** 0 picks a free port. */
  port: number;
  /** Listen address. */
  host: string;
  /** Announced in `media_conn` and media URLs; the server certificate covers it. */
  publicHostname: string;
}

/** Listen addresses that are not a reachable address themselves. */
export const isWildcardHost = (host: string): boolean => ['0.0.0.0', '::', ''].includes(host);
