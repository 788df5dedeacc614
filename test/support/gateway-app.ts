import type { INestApplication, ModuleMetadata, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { GatewayConfig, loadConfig } from '@app/config';
import { configureGateway } from '../../apps/gateway/src/configure-gateway';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { baseTestEnv } from './test-env';

/**
 * The gateway built in-process exactly as main.ts builds it, plus optional test-only controllers
 * and the modules they need (repositories come from `DbModule.forFeature`).
 */
export async function createGatewayApp(
  env: Record<string, string> = {},
  extraControllers: Type[] = [],
  extraImports: NonNullable<ModuleMetadata['imports']> = [],
): Promise<INestApplication> {
  const config = loadConfig(GatewayConfig, baseTestEnv(env));
  const moduleRef = await Test.createTestingModule({
    imports: [GatewayModule.register(config), ...extraImports],
    controllers: extraControllers,
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await configureGateway(app);
  await app.init();
  return app;
}
