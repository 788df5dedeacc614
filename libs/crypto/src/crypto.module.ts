import { Global, Module } from '@nestjs/common';
import { CoreConfig } from '@app/config';
import { SecretBox } from './secret-box';

@Global()
@Module({
  providers: [{ provide: SecretBox, inject: [CoreConfig], useFactory: (config: CoreConfig) => new SecretBox(config.ENCRYPTION_KEY) }],
  exports: [SecretBox],
})
export class CryptoModule {}
