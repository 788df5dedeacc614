import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import request from 'supertest';
import type { UserRole } from '@app/contracts';
import { AuthFixtures, type Tenant } from './auth-fixtures';
import { DbFixtures } from './db-fixtures';
import { createGatewayApp } from './gateway-app';

export interface TenantGateway {
  db: DbFixtures;
  /** The file's tenant; its fields are there from the first test (and the spec's own beforeAll) on. */
  tenant: Tenant;
  /** The gateway, from the spec's own beforeAll on. */
  readonly app: INestApplication;
  http(): ReturnType<typeof request>;
  /** The tenant's API key, as request headers. */
  asOwner(): Record<string, string>;
  /** One more tenant (someone else, or an admin), made like the first. */
  anotherTenant(role?: UserRole): Promise<Tenant>;
}

export interface TenantGatewayOptions {
  env?: Record<string, string>;
  /** Runs after the file's tests, while the gateway and the database are still open. */
  beforeClose?: (gateway: TenantGateway) => Promise<unknown>;
}

/**
 * What most gateway specs start from: a gateway built in-process and one tenant in it, for the
 * whole file. Call it inside `describe`, before the spec's own hooks.
 */
export function useTenantGateway({ env, beforeClose }: TenantGatewayOptions = {}): TenantGateway {
  const db = new DbFixtures();
  // Filled in by beforeAll: specs can hold `tenant` from describe time, as they held their own `let tenant`.
  const tenant = {} as Tenant;
  let app: INestApplication | undefined;
  const started = (): INestApplication => {
    if (!app) throw new Error('the gateway starts in beforeAll');
    return app;
  };

  const gateway: TenantGateway = {
    db,
    tenant,
    get app() {
      return started();
    },
    http: () => request(started().getHttpServer() as Server),
    asOwner: () => ({ 'x-api-key': tenant.apiKey.key }),
    anotherTenant: (role) => new AuthFixtures(started(), db).tenant(role),
  };

  beforeAll(async () => {
    app = await createGatewayApp(env);
    Object.assign(tenant, await new AuthFixtures(app, db).tenant());
  });

  afterAll(async () => {
    await beforeClose?.(gateway);
    await started().close();
    await db.close();
  });

  return gateway;
}
