import { Injectable, type OnModuleInit } from '@nestjs/common';
import { node, type BinaryNode } from '../protocol/binary-node';
import { StanzaRouter } from '../server/stanza-router.service';
import { MAX_UPLOAD_BYTES, MediaHostServer } from './media-host.server';
import { MediaIdentityService } from './media-identity.service';

/** How long Baileys may reuse a `media_conn` answer before asking again. */
const MEDIA_CONN_TTL_SECONDS = 3600;
/** Tokens outlive the TTL a little, so an upload started just before it expires still passes. */
const AUTH_GRACE_SECONDS = 600;

export interface MediaConnection {
  auth: string;
  ttl: number;
  hosts: { hostname: string; maxContentLengthBytes: number }[];
}

/**
 * `<iq xmlns='w:m' type='set'><media_conn/></iq>`: Baileys asks where to upload before every
 * media send (cached for `ttl`). The answer names the simulator's own media host.
 */
@Injectable()
export class MediaConnHandler implements OnModuleInit {
  constructor(
    private readonly router: StanzaRouter,
    private readonly host: MediaHostServer,
    private readonly identity: MediaIdentityService,
  ) {}

  onModuleInit(): void {
    this.router.onIq('w:m', 'media_conn', () => [this.toNode(this.issue())]);
  }

  /** A fresh connection grant; also served on the control API for Baileys-free uploads. */
  issue(): MediaConnection {
    return {
      auth: this.identity.issueAuthToken(MEDIA_CONN_TTL_SECONDS + AUTH_GRACE_SECONDS),
      ttl: MEDIA_CONN_TTL_SECONDS,
      hosts: [{ hostname: this.host.authority, maxContentLengthBytes: MAX_UPLOAD_BYTES }],
    };
  }

  private toNode(grant: MediaConnection): BinaryNode {
    return node(
      'media_conn',
      { auth: grant.auth, ttl: String(grant.ttl), auth_ttl: String(grant.ttl), max_buckets: '12' },
      grant.hosts.map((host) => node('host', { hostname: host.hostname, maxContentLengthBytes: String(host.maxContentLengthBytes) })),
    );
  }
}
