/**
 * operationIds of the OpenAPI document: `<area>.<action>`, the names a generated client shows
 * (`sessions.create`, `messages.sendText`). Clients are built on them, so they never change
 * once published: renaming a controller or handler keeps its id through the tables below.
 */

/** The area of each controller's operations; a controller not listed uses its name without `Controller`. */
const AREAS: Record<string, string> = {
  // One route, two controllers (REGISTRATION_MODE picks one): one id whatever the setting.
  OpenRegistrationController: 'auth',
  AdminRegistrationController: 'auth',
  AgentMessagesController: 'messages',
  SessionMessagesController: 'messages',
  AgentRunController: 'agents',
  GroupMessagesController: 'groups',
  WebhookSettingsController: 'webhooks',
  SessionChatsController: 'history',
  MessageHistoryController: 'history',
  PrometheusController: 'metrics',
};

/** Handlers whose name alone would not say what they do to a client. */
const ACTIONS: Record<string, string> = {
  'SessionsController.qrPng': 'sessions.waitForQr',
  'SessionsController.qr': 'sessions.getQr',
  'SessionsController.pairingCode': 'sessions.requestPairingCode',
  'SessionMessagesController.status': 'messages.getStatus',
  'SessionMessagesController.queue': 'messages.getQueue',
  'AgentBindingsController.get': 'agents.getSettings',
  'AgentBindingsController.update': 'agents.updateSettings',
  'AgentBindingsController.listChatbots': 'chatbots.list',
  'AgentBindingsController.upsertChatbot': 'chatbots.upsert',
  'AgentBindingsController.deleteChatbot': 'chatbots.delete',
  'WebhookSettingsController.deliveries': 'webhooks.listDeliveries',
  'SessionChatsController.daily': 'history.listDailyChats',
  'SessionChatsController.chat': 'history.listChatMessages',
  'MessageHistoryController.search': 'history.searchMessages',
  'GroupsController.info': 'groups.get',
  'GroupsController.add': 'groups.addParticipants',
  'GroupsController.remove': 'groups.removeParticipant',
  'GroupsController.promote': 'groups.promoteAdmins',
  'GroupsController.demote': 'groups.demoteAdmin',
  'GroupsController.invite': 'groups.getInvite',
  'EventsController.ticket': 'events.createTicket',
  'PrometheusController.index': 'metrics.scrape',
};

export const METRICS_OPERATION_ID = ACTIONS['PrometheusController.index'];

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/** SwaggerModule's operationIdFactory: `<area>.<action>`. */
export function operationIdFor(controllerKey: string, methodKey: string): string {
  const named = ACTIONS[`${controllerKey}.${methodKey}`];
  if (named) return named;
  const area = AREAS[controllerKey] ?? lowerFirst(controllerKey.replace(/Controller$/, ''));
  return `${area}.${methodKey}`;
}
