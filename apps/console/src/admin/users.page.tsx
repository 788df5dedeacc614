import type { components } from '@app/client';
import { useEffect, useState } from 'preact/hooks';
import { unwrap } from '../api/api-problem';
import { useConsole } from '../state/console-context';
import { Badge, EmptyState, ProblemNotice, useAction } from '../ui/components';
import { ApiKeysPanel } from './api-keys.panel';

type UserDto = components['schemas']['UserDto'];
type Role = UserDto['role'];

/** Accounts and their API keys. Admins only. */
export function UsersPage() {
  const { api } = useConsole();
  const [users, setUsers] = useState<UserDto[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [run, busy, problem] = useAction();
  const load = async () => setUsers(await unwrap(api.client.GET('/users', { params: { query: { limit: 500 } } })));
  useEffect(() => void run(load), [api]);

  return (
    <main id="main">
      <h1 tabIndex={-1}>Users</h1>
      <p class="lead">Admins manage everything; users their own sessions and keys; read-only users only look.</p>
      <CreateUserForm onCreated={() => void run(load)} />
      <ProblemNotice problem={problem} />
      <section aria-labelledby="users-heading">
        <h2 id="users-heading">Accounts{users ? ` (${users.length})` : ''}</h2>
        {users === null ? (
          busy && <p role="status">Loading users…</p>
        ) : users.length === 0 ? (
          <EmptyState title="No users yet.">
            <p>Create the first account above; it can then sign in here with its email and password.</p>
          </EmptyState>
        ) : (
          <ul class="user-list">
            {users.map((user) => (
              <li key={user.id} class="card">
                <div class="user-head">
                  <div>
                    <strong>{user.name}</strong> <span class="muted">{user.email}</span> <Badge tone="idle">{user.role}</Badge>
                    {user.disabled && <Badge tone="bad">disabled</Badge>}
                  </div>
                  <button type="button" class="button-secondary" aria-expanded={open === user.id} onClick={() => setOpen(open === user.id ? null : user.id)}>
                    {open === user.id ? 'Hide API keys' : 'API keys'}
                  </button>
                </div>
                {open === user.id && <ApiKeysPanel userId={user.id} headingLevel={3} />}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const { api } = useConsole();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [run, busy, problem] = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      await unwrap(api.client.POST('/users', { body: { email: email.trim(), name: name.trim(), password, role } }));
      setEmail('');
      setName('');
      setPassword('');
      onCreated();
    });
  };
  return (
    <section aria-labelledby="new-user-heading" class="card">
      <h2 id="new-user-heading">Create a user</h2>
      <form class="form-grid" onSubmit={submit}>
        <div class="field">
          <label for="user-email">Email</label>
          <input id="user-email" type="email" required autocomplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="user-name">Name</label>
          <input id="user-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="user-password">Password</label>
          <input
            id="user-password"
            type="password"
            required
            minLength={8}
            maxLength={128}
            autocomplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-describedby="user-password-hint"
          />
          <p id="user-password-hint" class="hint">
            8 to 128 characters.
          </p>
        </div>
        <div class="field">
          <label for="user-role">Role</label>
          <select id="user-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            <option value="user">user</option>
            <option value="readonly">readonly</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <div class="field field-action">
          <button type="submit" class="button-primary" disabled={busy}>
            Create user
          </button>
        </div>
      </form>
      <ProblemNotice problem={problem} title="The user was not created." />
    </section>
  );
}
