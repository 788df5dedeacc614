import type { components } from '@app/client';
import { useEffect, useState } from 'preact/hooks';
import { unwrap } from '../api/api-problem';
import { canWrite, useConsole } from '../state/console-context';
import { ProblemNotice, useAction } from '../ui/components';

type WebhookEvent = components['schemas']['WebhookSettingsDto']['events'][number];
const WEBHOOK_EVENTS: Array<{ name: WebhookEvent; label: string }> = [
  { name: 'session.status', label: 'Session status changes' },
  { name: 'message.received', label: 'Received messages' },
  { name: 'message.status', label: 'Delivery statuses' },
];

/** Where the session's events are POSTed, which ones, and the signing secret (write-only). */
export function WebhookForm({ sessionId }: { sessionId: string }) {
  const { api, me } = useConsole();
  const [settings, setSettings] = useState<components['schemas']['WebhookSettingsDto'] | null>(null);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([]);
  const [secret, setSecret] = useState('');
  const [removeSecret, setRemoveSecret] = useState(false);
  const [saved, setSaved] = useState(false);
  const [run, busy, problem] = useAction();
  const path = { params: { path: { id: sessionId } } };

  const show = (answer: components['schemas']['WebhookSettingsDto']) => {
    setSettings(answer);
    setUrl(answer.url ?? '');
    setEvents(answer.events);
    setSecret('');
    setRemoveSecret(false);
  };
  useEffect(() => void run(async () => show(await unwrap(api.client.GET('/sessions/{id}/webhook', path)))), [sessionId]);

  const submit = (event: Event) => {
    event.preventDefault();
    setSaved(false);
    void run(async () => {
      const body = { url: url.trim() || null, events, ...(removeSecret ? { secret: null } : secret ? { secret } : {}) };
      show(await unwrap(api.client.PUT('/sessions/{id}/webhook', { ...path, body })));
      setSaved(true);
    });
  };
  const toggle = (name: WebhookEvent, on: boolean) => setEvents((current) => (on ? [...current, name] : current.filter((item) => item !== name)));
  const readOnly = !canWrite(me);

  return (
    <section aria-labelledby="webhook-heading" class="card">
      <h2 id="webhook-heading">Webhook</h2>
      <form onSubmit={submit}>
        <fieldset disabled={readOnly || !settings}>
          <label for="webhook-url">URL</label>
          <input
            id="webhook-url"
            type="url"
            placeholder="https://example.com/hooks/whatsapp"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
            aria-describedby="webhook-url-hint"
          />
          <p id="webhook-url-hint" class="hint">
            Empty turns the webhook off.
          </p>
          <fieldset class="checks">
            <legend>Events (none ticked: every event)</legend>
            {WEBHOOK_EVENTS.map((item) => (
              <label key={item.name}>
                <input type="checkbox" checked={events.includes(item.name)} onChange={(e) => toggle(item.name, e.currentTarget.checked)} />
                {item.label} <code>({item.name})</code>
              </label>
            ))}
          </fieldset>
          <label for="webhook-secret">Signing secret</label>
          <input
            id="webhook-secret"
            type="password"
            autocomplete="off"
            placeholder={settings?.hasSecret ? 'Set; leave empty to keep it' : 'None; requests are not signed'}
            value={secret}
            disabled={removeSecret}
            onInput={(e) => setSecret(e.currentTarget.value)}
          />
          {settings?.hasSecret && (
            <label class="check">
              <input type="checkbox" checked={removeSecret} onChange={(e) => setRemoveSecret(e.currentTarget.checked)} />
              Remove the secret (requests are then not signed)
            </label>
          )}
          <button type="submit" class="button-secondary" disabled={busy}>
            Save webhook
          </button>
          {saved && (
            <span role="status" class="saved">
              Saved.
            </span>
          )}
        </fieldset>
      </form>
      <ProblemNotice problem={problem} />
    </section>
  );
}

/** The AI agent that answers received texts: endpoint, key (write-only), on or off. */
export function AgentForm({ sessionId }: { sessionId: string }) {
  const { api, me } = useConsole();
  const [settings, setSettings] = useState<components['schemas']['AgentSettingsDto'] | null>(null);
  const [endpointUrl, setEndpointUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [enabled, setEnabled] = useState(false);
  const [saved, setSaved] = useState(false);
  const [run, busy, problem] = useAction();
  const path = { params: { path: { id: sessionId } } };

  const show = (answer: components['schemas']['AgentSettingsDto']) => {
    setSettings(answer);
    setEndpointUrl(answer.endpointUrl ?? '');
    setEnabled(answer.enabled);
    setApiKey('');
  };
  useEffect(() => void run(async () => show(await unwrap(api.client.GET('/sessions/{id}/agent', path)))), [sessionId]);

  const submit = (event: Event) => {
    event.preventDefault();
    setSaved(false);
    void run(async () => {
      const body = { endpointUrl: endpointUrl.trim() || null, enabled, ...(apiKey ? { apiKey } : {}) };
      show(await unwrap(api.client.PUT('/sessions/{id}/agent', { ...path, body })));
      setSaved(true);
    });
  };

  return (
    <section aria-labelledby="agent-heading" class="card">
      <h2 id="agent-heading">AI agent</h2>
      <form onSubmit={submit}>
        <fieldset disabled={!canWrite(me) || !settings}>
          <label class="check">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
            Answer received texts with the agent
          </label>
          <label for="agent-endpoint">Endpoint URL</label>
          <input
            id="agent-endpoint"
            type="url"
            placeholder="Empty: the gateway's default AI backend"
            value={endpointUrl}
            onInput={(e) => setEndpointUrl(e.currentTarget.value)}
            aria-describedby="agent-endpoint-hint"
          />
          <p id="agent-endpoint-hint" class="hint">
            Called now: <code>{settings?.effectiveEndpoint ?? 'nothing (no endpoint and no default configured)'}</code>
          </p>
          <label for="agent-key">API key</label>
          <input
            id="agent-key"
            type="password"
            autocomplete="off"
            placeholder={settings?.hasApiKey ? 'Set; leave empty to keep it' : 'None'}
            value={apiKey}
            onInput={(e) => setApiKey(e.currentTarget.value)}
          />
          <button type="submit" class="button-secondary" disabled={busy}>
            Save agent
          </button>
          {saved && (
            <span role="status" class="saved">
              Saved.
            </span>
          )}
        </fieldset>
      </form>
      <ProblemNotice problem={problem} />
    </section>
  );
}
