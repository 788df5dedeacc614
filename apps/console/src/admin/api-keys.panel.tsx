import type { components } from '@app/client';
import { useEffect, useState } from 'preact/hooks';
import { unwrap } from '../api/api-problem';
import { useConsole } from '../state/console-context';
import { Badge, ConfirmButton, EmptyState, ProblemNotice, RelativeTime, useAction, useNow } from '../ui/components';

type ApiKeyDto = components['schemas']['ApiKeyDto'];

/** A user's API keys: create one (its secret is shown once, here), list them, revoke one. */
export function ApiKeysPanel({ userId, headingLevel = 2 }: { userId: string; headingLevel?: 2 | 3 }) {
  const { api } = useConsole();
  const now = useNow();
  const [keys, setKeys] = useState<ApiKeyDto[] | null>(null);
  const [name, setName] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [run, busy, problem] = useAction();
  const path = { params: { path: { id: userId } } };
  const load = async () => setKeys(await unwrap(api.client.GET('/users/{id}/api-keys', path)));
  useEffect(() => void run(load), [userId]);

  const create = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const body = { name: name.trim(), ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}) };
      const answer = await unwrap(api.client.POST('/users/{id}/api-keys', { ...path, body }));
      setCreated({ name: answer.name, key: answer.key });
      setName('');
      setExpiresAt('');
      await load();
    });
  };
  const revoke = (key: ApiKeyDto) =>
    void run(async () => {
      await unwrap(api.client.DELETE('/users/{id}/api-keys/{keyId}', { params: { path: { id: userId, keyId: key.id } } }));
      await load();
    });
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  return (
    <section aria-label="API keys" class="keys">
      <Heading>API keys</Heading>
      {created && (
        <div class="notice notice-ok" role="status">
          <p>
            <strong>New key “{created.name}”.</strong> Copy it now: it is shown only this once and stored only as a hash.
          </p>
          <p>
            <label for={`new-key-${userId}`}>Key</label>
            <input id={`new-key-${userId}`} class="secret" readOnly value={created.key} onFocus={(e) => e.currentTarget.select()} />
          </p>
          <button type="button" class="button-secondary" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}
      <form class="form-grid" onSubmit={create}>
        <div class="field">
          <label for={`key-name-${userId}`}>Key name</label>
          <input
            id={`key-name-${userId}`}
            required
            placeholder="What it is for, e.g. crm-integration"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for={`key-expiry-${userId}`}>Expires (optional)</label>
          <input id={`key-expiry-${userId}`} type="datetime-local" value={expiresAt} onInput={(e) => setExpiresAt(e.currentTarget.value)} />
        </div>
        <div class="field field-action">
          <button type="submit" class="button-primary" disabled={busy}>
            Create key
          </button>
        </div>
      </form>
      <ProblemNotice problem={problem} />
      {keys === null ? null : keys.length === 0 ? (
        <EmptyState title="No API keys.">
          <p>Create one for scripts and integrations: they send it as the x-api-key header.</p>
        </EmptyState>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <th scope="row" data-label="Name">
                  {key.name}
                </th>
                <td data-label="Starts with">
                  <code>{key.prefix}…</code>
                </td>
                <td data-label="Created">
                  <RelativeTime iso={key.createdAt} now={now} />
                </td>
                <td data-label="Last used">
                  <RelativeTime iso={key.lastUsedAt} now={now} />
                </td>
                <td data-label="Expires">{key.expiresAt ? <RelativeTime iso={key.expiresAt} now={now} /> : 'never'}</td>
                <td data-label="Actions">
                  {key.revokedAt ? (
                    <Badge tone="bad">Revoked</Badge>
                  ) : (
                    <ConfirmButton
                      label="Revoke"
                      question={`Revoke key “${key.name}”?`}
                      consequence="Every script using it is refused from now on. This cannot be undone."
                      confirmLabel="Revoke key"
                      danger
                      disabled={busy}
                      onConfirm={() => revoke(key)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Everyone's own keys (any role with an account). */
export function ApiKeysPage() {
  const { me } = useConsole();
  return (
    <main id="main">
      <h1 tabIndex={-1}>My API keys</h1>
      {me.user ? (
        <ApiKeysPanel userId={me.user.id} />
      ) : (
        <EmptyState title="The bootstrap admin key has no account.">
          <p>Create a user on the Users page and give it keys there.</p>
        </EmptyState>
      )}
    </main>
  );
}
