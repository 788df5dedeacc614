import { useEffect, useState } from 'preact/hooks';
import { unwrap } from '../api/api-problem';
import { canWrite, useConsole } from '../state/console-context';
import type { SessionRow } from '../state/console.reducer';
import { ProblemNotice, RelativeTime, useAction } from '../ui/components';
import { displayPhone, formatPairingCode } from '../ui/format';
import { QrCode } from './qr-code';

/** Seconds the gateway may hold the first QR request while the worker starts the session. */
const FIRST_QR_WAIT_S = 20;

/**
 * Linking a phone: the QR as it rotates (each new value arrives as a `session.qr` live event),
 * or a pairing code for a phone number. Once the phone links, the session's status turns to
 * connected and this panel gives way to the phone's number.
 */
export function LinkPanel({ session, now }: { session: SessionRow; now: number }) {
  const { api, state, dispatch, me } = useConsole();
  const prompt = state.prompts[session.id];
  const [firstQrProblem, setFirstQrProblem] = useState<string | null>(null);

  // Opened while the session already waited: ask once for the QR it shows now; the next ones come live.
  useEffect(() => {
    if (prompt) return;
    let cancelled = false;
    unwrap(api.client.GET('/sessions/{id}/qr', { params: { path: { id: session.id }, query: { format: 'raw', wait: FIRST_QR_WAIT_S } } }))
      .then((answer) => !cancelled && dispatch({ type: 'prompt.loaded', sessionId: session.id, qr: answer.qr, at: answer.qrUpdatedAt }))
      .catch((error: unknown) => !cancelled && setFirstQrProblem(error instanceof Error ? error.message : String(error)));
    return () => {
      cancelled = true;
    };
    // Only when the panel opens for a session: later QRs arrive as events.
  }, [session.id]);

  return (
    <section class="card link-panel" aria-labelledby="link-heading">
      <h2 id="link-heading">Link a phone</h2>
      <div class="link-grid">
        <div>
          {prompt?.kind === 'qr' && prompt.qr ? (
            <figure class="qr-figure">
              <QrCode value={prompt.qr} label={`QR code to link session ${session.name}`} />
              <figcaption>
                Scan with WhatsApp on the phone: <strong>Settings → Linked devices → Link a device</strong>. The code changes every 20–60 seconds; this one is
                from <RelativeTime iso={prompt.at} now={now} />.
              </figcaption>
            </figure>
          ) : prompt?.kind === 'pairing_code' && prompt.pairingCode ? (
            <PairingCode code={prompt.pairingCode} phone={prompt.phone} />
          ) : (
            <p role="status" class="muted">
              {firstQrProblem ? `No QR code yet (${firstQrProblem}). It appears here as soon as the session shows one.` : 'Waiting for the first QR code…'}
            </p>
          )}
        </div>
        {canWrite(me) && <PairingCodeForm sessionId={session.id} />}
      </div>
    </section>
  );
}

function PairingCode({ code, phone }: { code: string; phone: string | null }) {
  return (
    <div class="pairing-code">
      <p>
        Pairing code for <strong>{displayPhone(phone)}</strong>:
      </p>
      <p class="code" aria-label={`Pairing code ${code.split('').join(' ')}`}>
        {formatPairingCode(code)}
      </p>
      <p class="hint">
        On that phone: WhatsApp → Linked devices → Link a device → <em>Link with phone number instead</em>, then type this code.
      </p>
    </div>
  );
}

function PairingCodeForm({ sessionId }: { sessionId: string }) {
  const { api, dispatch } = useConsole();
  const [phone, setPhone] = useState('');
  const [run, busy, problem] = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const answer = await unwrap(api.client.POST('/sessions/{id}/pairing-code', { params: { path: { id: sessionId } }, body: { phone: phone.trim() } }));
      // The same code also arrives as a live event; show it now in case that takes a moment.
      dispatch({
        type: 'live',
        event: {
          id: '',
          event: 'session.qr',
          sessionId,
          occurredAt: new Date().toISOString(),
          data: { sessionId, kind: 'pairing_code', qr: null, pairingCode: answer.code, phone: phone.trim(), at: new Date().toISOString() },
        },
      });
    });
  };
  return (
    <form class="pairing-form" onSubmit={submit}>
      <h3>No camera? Use a pairing code</h3>
      <label for="pairing-phone">Phone number to link</label>
      <input
        id="pairing-phone"
        type="tel"
        inputMode="tel"
        autocomplete="tel"
        required
        placeholder="+62 812 3456 7890"
        value={phone}
        onInput={(e) => setPhone(e.currentTarget.value)}
      />
      <button type="submit" class="button-secondary" disabled={busy}>
        {busy ? 'Asking…' : 'Get a pairing code'}
      </button>
      <ProblemNotice problem={problem} title="No pairing code." />
    </form>
  );
}
