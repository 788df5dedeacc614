import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { register } from 'prom-client';

/**
 * Prometheus `/metrics` for one app: default process metrics, every series labelled with the
 * app's `service`, plus the app's own metric providers (built from METRICS definitions).
 */
@Module({})
export class MetricsModule {
  static forApp(service: string, metrics: Provider[] = []): DynamicModule {
    // One app owns a process's registry. Starting afresh also lets tests build several apps in
    // one process, which would otherwise collide on the default metric names.
    register.clear();
    return {
      module: MetricsModule,
      global: true,
      imports: [
        PrometheusModule.register({
          defaultLabels: { service },
          defaultMetrics: { enabled: true },
        }),
      ],
      providers: metrics,
      exports: metrics,
    };
  }
}
