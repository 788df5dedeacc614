export * from './gateway-client';
export * from './live-events.stream';
export * from './live-events.browser';
export type { paths, components, operations } from './generated/openapi';
export type { LiveEvent, LiveEventName, LiveEventPayloads, LiveStreamGap, LiveStreamReady } from '@app/contracts';
export { LIVE_EVENTS, LIVE_EVENT_NAMES } from '@app/contracts';
