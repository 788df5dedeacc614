import type { ErrorCode } from '@app/contracts';

/** What the AI agent made of one received message: its reply (null = say nothing), or why it failed. */
export type AgentOutcome = { kind: 'answered'; reply: string | null } | { kind: 'failed'; code: ErrorCode; reason: string };
