/**
 * What the AI backend receives (seed 003): `input` is the text, `session_id` the JID of the
 * conversation partner (the backend keeps its memory per session_id), `parameters` are passed
 * through (default `{ max_steps: 5 }`), `metadata` says who wrote from where. A wire format shared
 * with another team's service: change additively.
 */
export interface AiRunPayload {
  input: string;
  session_id: string;
  parameters: Record<string, unknown>;
  metadata: AiRunMetadata;
}

export interface AiRunMetadata {
  /** The session (seed 003 agent) the run is for. */
  agent_id: string;
  trace_id: string;
  /** `whatsapp`: a received message; `api`: POST /agents/{id}/run. */
  source: 'whatsapp' | 'api';
  sender?: { jid: string; phone: string | null; name: string | null };
  chat?: { jid: string; is_group: boolean };
  message?: { id: string; sent_at: string; quoted_id: string | null };
}

/** Seed 003 default when a run names no parameters. */
export const DEFAULT_AI_PARAMETERS: Readonly<Record<string, unknown>> = { max_steps: 5 };

/** One call: where, with which key, what. */
export interface AiExecution {
  endpoint: string;
  /** Sent as `Authorization: Bearer <apiKey>`; none when the session has no key. */
  apiKey: string | null;
  payload: AiRunPayload;
  traceId: string;
}

/** Only the reply is used (seed 003); null when the agent chose not to answer. */
export interface AiExecutionResult {
  reply: string | null;
}
