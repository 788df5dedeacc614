export * from './recipient.normalizer';
export * from './mention.template';
