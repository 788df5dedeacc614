import type { PinoLogger } from 'nestjs-pino';
import type { Counter, Histogram } from 'prom-client';
import type { AgentTargetResolver, AiBackendClient } from '@app/ai-backend';
import type { AgentRunnerConfig } from '@app/config';
import { AppError, type InboundMessageEvent } from '@app/contracts';
import type { AllowedNumberRepository, MessageHistoryRepository, OutboundMessageRepository, SessionRepository } from '@app/db';
import { HistoryRecorder } from '../history/history.recorder';
import type { ChatMessage, ChatOutboxSender } from '../outbox/chat-outbox.sender';
import type { TypingIndicator } from '../outbox/typing-indicator';
import { notForTheAgent } from './agent-eligibility';
import type { AgentOutcome } from './agent-outcome';
import { AgentResponder } from './agent-responder.service';
import type { DeveloperAlertSender } from './developer-alert.sender';
import type { InboundProgressStore } from './inbound-progress.store';

const logger = { setContext: () => undefined, debug: () => undefined, warn: () => undefined } as unknown as PinoLogger;
const counter = { inc: jest.fn() } as unknown as Counter<string>;

const event = (overrides: Partial<InboundMessageEvent> = {}): InboundMessageEvent => ({
  sessionId: 'bot',
  waMessageId: '3EB0AAAA',
  chatJid: '6281234567890@s.whatsapp.net',
  isGroup: false,
  senderJid: '6281234567890@s.whatsapp.net',
  senderPhone: '6281234567890',
  pushName: 'Budi',
  kind: 'text',
  text: 'Halo',
  quotedMessageId: null,
  mentions: [],
  mentionsMe: false,
  ownPhone: '6289900001111',
  sentAt: '2026-11-21T08:00:00.000Z',
  offline: false,
  traceId: 'trace-1',
  ...overrides,
});

describe('which messages go to the AI agent (seed 003)', () => {
  it.each([
    ['a direct text', {}, null],
    ['media', { kind: 'image' as const, text: 'caption' }, 'image message (only text goes to the AI)'],
    ['an empty text', { text: '  ' }, 'an empty text'],
    ['a status broadcast', { chatJid: 'status@broadcast' }, 'status broadcast or channel'],
    ['a channel post', { chatJid: '120363000000000000@newsletter' }, 'status broadcast or channel'],
    ['a group message without mention', { isGroup: true, chatJid: '1203630@g.us' }, 'a group message that does not mention the bot'],
    ['a group message mentioning the bot', { isGroup: true, chatJid: '1203630@g.us', mentionsMe: true }, null],
    ["a group message with the bot's number", { isGroup: true, chatJid: '1203630@g.us', text: 'tanya +62 899-0000-1111' }, null],
    ["a group message with the bot's national number", { isGroup: true, chatJid: '1203630@g.us', text: 'wa 0899 0000 1111' }, null],
  ])('%s', (_label, overrides, expected) => {
    expect(notForTheAgent(event(overrides), '62')).toBe(expected);
  });
});

describe('AgentResponder', () => {
  let steps: string[];
  let saved: AgentOutcome | null;
  let answer: () => Promise<{ reply: string | null }>;
  let responder: AgentResponder;

  beforeEach(() => {
    steps = [];
    saved = null;
    const typing = {
      show: async () => void steps.push('typing on'),
      clear: async () => void steps.push('typing off'),
    } as unknown as TypingIndicator;
    const sender = {
      send: async (message: ChatMessage) => void steps.push(`send ${message.content.text} to ${message.toJid} quoting ${message.content.quotedMessageId}`),
    } as unknown as ChatOutboxSender;
    const alerts = {
      send: async (_event: InboundMessageEvent, failure: { code: string }) => void steps.push(`alert ${failure.code}`),
    } as unknown as DeveloperAlertSender;
    const progress = {
      agentOutcome: async () => saved,
      saveAgentOutcome: async (_event: InboundMessageEvent, outcome: AgentOutcome) => void (saved = outcome),
    } as unknown as InboundProgressStore;
    const resolver = { resolve: async () => ({ endpoint: 'http://ai/agents/bot/execute', apiKey: 'k', autoReplyOff: null }) } as unknown as AgentTargetResolver;
    const ai = {
      execute: () => {
        steps.push('ai');
        return answer();
      },
    } as unknown as AiBackendClient;
    const histogram = { startTimer: () => () => undefined } as unknown as Histogram<string>;
    responder = new AgentResponder(
      resolver,
      ai,
      typing,
      sender,
      alerts,
      progress,
      { DEFAULT_COUNTRY_CODE: '62' } as AgentRunnerConfig,
      logger,
      histogram,
      counter,
    );
  });

  it('shows typing while the AI works, sends the reply, then clears typing', async () => {
    answer = async () => ({ reply: 'Hai' });
    await responder.respond(event());
    expect(steps).toEqual(['typing on', 'ai', 'send Hai to 6281234567890@s.whatsapp.net quoting undefined', 'typing off']);
  });

  it('quotes the message it answers in a group', async () => {
    answer = async () => ({ reply: 'Hai' });
    await responder.respond(event({ isGroup: true, chatJid: '1203630@g.us', mentionsMe: true }));
    expect(steps).toContain('send Hai to 1203630@g.us quoting 3EB0AAAA');
  });

  it('on an AI failure clears typing and alerts the developer', async () => {
    answer = async () => {
      throw new AppError('AI_TIMEOUT', 'no answer');
    };
    await responder.respond(event());
    expect(steps).toEqual(['typing on', 'ai', 'alert AI_TIMEOUT', 'typing off']);
    expect(saved).toEqual({ kind: 'failed', code: 'AI_TIMEOUT', reason: 'no answer' });
  });

  it('re-sends a kept answer without asking the AI or showing typing again', async () => {
    saved = { kind: 'answered', reply: 'kept' };
    await responder.respond(event());
    expect(steps).toEqual(['send kept to 6281234567890@s.whatsapp.net quoting undefined', 'typing off']);
  });
});

describe('HistoryRecorder', () => {
  it('stores nothing when the allowed-number check fails (fail-safe)', async () => {
    const store = jest.fn();
    const recorder = new HistoryRecorder(
      { activeSince: () => Promise.reject(new Error('database unreachable')) } as unknown as AllowedNumberRepository,
      { store } as unknown as MessageHistoryRepository,
      {} as OutboundMessageRepository,
      {} as SessionRepository,
      logger,
      counter,
    );
    expect(await recorder.recordInbound(event())).toBe('gate-unavailable');
    expect(store).not.toHaveBeenCalled();
    expect(counter.inc).toHaveBeenCalledWith({ code: 'HISTORY_GATE_UNAVAILABLE' });
  });
});
