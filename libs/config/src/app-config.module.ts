import { DynamicModule, Module } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';

/**
 * Provides an app's validated config under its own class and under every config class it extends
 * (CoreConfig, SendingConfig …), so shared libraries read the settings they need without knowing
 * which app they are in.
 */
@Module({})
export class AppConfigModule {
  static forRoot<T extends object>(schema: ClassConstructor<T>, config: T): DynamicModule {
    const tokens: ClassConstructor<object>[] = [];
    for (let type: unknown = schema; typeof type === 'function' && type !== Object && type.prototype; type = Object.getPrototypeOf(type)) {
      tokens.push(type as ClassConstructor<object>);
    }
    const providers = tokens.map((token) => ({ provide: token, useValue: config }));
    return { module: AppConfigModule, global: true, providers, exports: tokens };
  }
}
