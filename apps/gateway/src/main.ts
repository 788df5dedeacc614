import { GatewayConfig } from '@app/config';
import { runApp } from '@app/runtime';
import { configureGateway } from './configure-gateway';
import { GatewayModule } from './gateway.module';

void runApp({
  name: 'gateway',
  config: GatewayConfig,
  module: (config) => GatewayModule.register(config),
  listen: (config) => ({ port: config.PORT, host: config.HOST }),
  configure: (app) => configureGateway(app),
});
