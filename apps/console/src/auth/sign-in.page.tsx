import { createGatewayClient } from '@app/client';
import { useState } from 'preact/hooks';
import { unwrap } from '../api/api-problem';
import type { Me } from '../state/console-context';
import { ProblemNotice, useAction } from '../ui/components';
import { clientCredentials, type Credential } from './credential.store';

interface SignInProps {
  baseUrl: string;
  /** Why the last session ended, e.g. an expired token. */
  notice: string | null;
  onSignedIn: (credential: Credential, me: Me) => void;
}

type Method = 'password' | 'apiKey';

/** Who is behind a credential (GET /auth/me); fails with the API's problem when it is not accepted. */
export async function whoIs(baseUrl: string, credential: Credential): Promise<Me> {
  return unwrap(createGatewayClient({ baseUrl, ...clientCredentials(credential) }).GET('/auth/me'));
}

export function SignInPage({ baseUrl, notice, onSignedIn }: SignInProps) {
  const [method, setMethod] = useState<Method>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [run, busy, problem] = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      let credential: Credential;
      if (method === 'password') {
        const login = await unwrap(createGatewayClient({ baseUrl }).POST('/auth/login', { body: { email: email.trim(), password } }));
        credential = { kind: 'token', value: login.accessToken };
      } else {
        credential = { kind: 'apiKey', value: apiKey.trim() };
      }
      onSignedIn(credential, await whoIs(baseUrl, credential));
    });
  };

  return (
    <main id="main" class="sign-in">
      <h1>WhatsApp gateway console</h1>
      <p class="lead">Link phones, watch sessions and send test messages. Sign in with your account or an API key.</p>
      {notice && (
        <p class="notice notice-info" role="status">
          {notice}
        </p>
      )}
      <form class="card" onSubmit={submit} aria-describedby="sign-in-help">
        <fieldset class="segmented">
          <legend>Sign in with</legend>
          <label>
            <input type="radio" name="method" value="password" checked={method === 'password'} onChange={() => setMethod('password')} />
            Email and password
          </label>
          <label>
            <input type="radio" name="method" value="apiKey" checked={method === 'apiKey'} onChange={() => setMethod('apiKey')} />
            API key
          </label>
        </fieldset>
        {method === 'password' ? (
          <>
            <label for="email">Email</label>
            <input id="email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
            <label for="password">Password</label>
            <input
              id="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </>
        ) : (
          <>
            <label for="api-key">API key</label>
            <input
              id="api-key"
              type="password"
              autocomplete="off"
              spellcheck={false}
              required
              value={apiKey}
              onInput={(e) => setApiKey(e.currentTarget.value)}
            />
          </>
        )}
        <p id="sign-in-help" class="hint">
          Only the sign-in token (or the key) is kept, in this tab's session storage, until you sign out or close the tab.
        </p>
        <ProblemNotice problem={problem} title="Could not sign in." />
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
