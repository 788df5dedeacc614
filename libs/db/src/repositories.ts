import type { Type } from '@nestjs/common';
import { OutboundMessageRepository } from './outbound/outbound-message.repository';
import { OutboxSendRepository } from './outbound/outbox-send.repository';
import { AuthStateRepository } from './auth-state/auth-state.repository';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { MediaRepository } from './media/media.repository';
import { SessionRepository } from './sessions/session.repository';
import { SessionWebhookRepository } from './sessions/session-webhook.repository';
import { SessionPacingRepository } from './sessions/session-pacing.repository';
import { WebhookDeliveryRepository } from './webhooks/webhook-delivery.repository';
import { UserRepository } from './users/user.repository';
import { UserApiKeyRepository } from './api-keys/user-api-key.repository';
import { SharedApiKeyRepository } from './shared-api-keys/shared-api-key.repository';
import { SessionTokenRepository } from './session-tokens/session-token.repository';
import { BulkJobRepository } from './bulk-jobs/bulk-job.repository';
import { ScheduleRepository } from './schedules/schedule.repository';
import { AgentSettingsRepository } from './agent-settings/agent-settings.repository';
import { ChatbotBindingRepository } from './chatbots/chatbot-binding.repository';
import { AllowedNumberRepository } from './allowed-numbers/allowed-number.repository';
import { MessageHistoryRepository } from './history/message-history.repository';

/** Every repository the DbModule provides; each aggregate's folder adds its own here. */
export const REPOSITORIES: Type[] = [
  OutboundMessageRepository, OutboxSendRepository,
  AuthStateRepository, SessionRepository, SessionWebhookRepository, SessionPacingRepository, WebhookDeliveryRepository,
  UserRepository, UserApiKeyRepository, SharedApiKeyRepository, SessionTokenRepository,
  MediaRepository, IdempotencyRepository,
  BulkJobRepository, ScheduleRepository,
  AgentSettingsRepository, ChatbotBindingRepository, AllowedNumberRepository, MessageHistoryRepository,
];
