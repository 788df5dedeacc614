import { useState } from 'preact/hooks';
import { unwrap } from '../api/api-problem';
import { useConsole } from '../state/console-context';
import { ProblemNotice, useAction } from '../ui/components';

type Kind = 'text' | 'image';

/** The file as a data: URL, which the media route accepts as `data`. */
const readAsDataUrl = (file: File): Promise<string> =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    // readAsDataURL always yields a string.
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });

/** Send a text or an image to a number; its delivery status then follows live in the list below. */
export function SendMessageForm({ sessionId, disabledReason }: { sessionId: string; disabledReason: string | null }) {
  const { api, dispatch } = useConsole();
  const [kind, setKind] = useState<Kind>('text');
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [run, busy, problem] = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    void run(async () => {
      const recipient = to.trim();
      // One key per submitted form: a retry of this request never sends twice.
      const header = { 'Idempotency-Key': crypto.randomUUID() };
      const path = { id: sessionId };
      if (kind === 'text') {
        const result = await unwrap(api.client.POST('/agents/{id}/messages', { params: { path, header }, body: { to: recipient, message: text } }));
        dispatch({ type: 'message.accepted', sessionId, to: recipient, summary: text, result });
        setText('');
      } else {
        if (!file) return;
        const data = await readAsDataUrl(file);
        const body = { to: recipient, data, mediaType: 'image' as const, mimetype: file.type, fileName: file.name, caption: text || undefined };
        const result = await unwrap(api.client.POST('/agents/{id}/media', { params: { path, header }, body }));
        dispatch({ type: 'message.accepted', sessionId, to: recipient, summary: `Image ${file.name}${text ? `: ${text}` : ''}`, result });
        setText('');
        setFile(null);
        form.reset();
      }
    });
  };

  return (
    <section aria-labelledby="send-heading" class="card">
      <h2 id="send-heading">Send a test message</h2>
      {disabledReason && (
        <p class="notice notice-info" role="status">
          {disabledReason}
        </p>
      )}
      <form class="send-form" onSubmit={submit}>
        <fieldset class="segmented">
          <legend>Message type</legend>
          <label>
            <input type="radio" name="kind" value="text" checked={kind === 'text'} onChange={() => setKind('text')} />
            Text
          </label>
          <label>
            <input type="radio" name="kind" value="image" checked={kind === 'image'} onChange={() => setKind('image')} />
            Image
          </label>
        </fieldset>
        <label for="send-to">To</label>
        <input
          id="send-to"
          type="tel"
          inputMode="tel"
          required
          placeholder="081234567890, +6281234567890 or a JID"
          value={to}
          onInput={(e) => setTo(e.currentTarget.value)}
          aria-describedby="send-to-hint"
        />
        <p id="send-to-hint" class="hint">
          A phone number in any usual form, or a chat id such as 6281234567890@s.whatsapp.net or …@g.us.
        </p>
        {kind === 'image' && (
          <>
            <label for="send-file">Image</label>
            <input id="send-file" type="file" accept="image/*" required onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          </>
        )}
        <label for="send-text">{kind === 'text' ? 'Message' : 'Caption (optional)'}</label>
        <textarea id="send-text" rows={3} required={kind === 'text'} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? 'Sending…' : kind === 'text' ? 'Send text' : 'Send image'}
        </button>
      </form>
      <ProblemNotice problem={problem} title="The message was not accepted." />
    </section>
  );
}
