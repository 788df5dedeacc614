import type { ReceivedMessage, SentMessage } from '../state/console.reducer';
import { deliveryLabel, deliveryTone } from '../sessions/session-status';
import { Badge, EmptyState, RelativeTime } from '../ui/components';
import { phoneFromJid } from '../ui/format';

/** Messages sent from this session while the console is open, each with its live delivery status. */
export function SentMessages({ messages, now }: { messages: SentMessage[]; now: number }) {
  return (
    <section aria-labelledby="sent-heading" class="card">
      <h2 id="sent-heading">Sent</h2>
      {messages.length === 0 ? (
        <EmptyState title="Nothing sent yet.">
          <p>Send a test message above: its status moves from sent to delivered to read here as the recipient's phone reports it.</p>
        </EmptyState>
      ) : (
        <ul class="messages" aria-live="polite">
          {messages.map((message) => (
            <li key={message.outboundId} class="message" data-outbound-id={message.outboundId}>
              <div class="message-head">
                <span>
                  To <strong>{phoneFromJid(message.to)}</strong>
                </span>
                <Badge tone={deliveryTone(message.status)}>
                  <span class="visually-hidden">Status: </span>
                  {deliveryLabel(message.status)}
                </Badge>
              </div>
              <p class="message-body">{message.summary ?? <span class="muted">(sent elsewhere)</span>}</p>
              <p class="message-meta">
                {message.error && <span class="hint-bad">{message.error} · </span>}
                updated <RelativeTime iso={message.at} now={now} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Messages the session received while the console is open (`message.received` events). */
export function ReceivedMessages({ messages, now }: { messages: ReceivedMessage[]; now: number }) {
  return (
    <section aria-labelledby="received-heading" class="card">
      <h2 id="received-heading">Received</h2>
      {messages.length === 0 ? (
        <EmptyState title="Nothing received since the console opened.">
          <p>Messages that contacts send to this number appear here as they arrive. Older ones are in the chat history API (/docs, history).</p>
        </EmptyState>
      ) : (
        <ul class="messages" aria-live="polite">
          {messages.map((message) => (
            <li key={message.waMessageId} class="message">
              <div class="message-head">
                <span>
                  From <strong>{message.pushName ? `${message.pushName} (${phoneFromJid(message.from)})` : phoneFromJid(message.from)}</strong>
                </span>
                {message.kind !== 'text' && <Badge tone="idle">{message.kind}</Badge>}
              </div>
              <p class="message-body">{message.text ?? <span class="muted">(no text)</span>}</p>
              <p class="message-meta">
                <RelativeTime iso={message.sentAt} now={now} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
