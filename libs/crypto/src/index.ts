export * from './crypto.module';
export * from './hmac-signature';
export * from './secret-box';
