import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, problemFromFailure, type ApiProblem } from '../api/api-problem';
import type { Tone } from '../sessions/session-status';
import { fullTime, relativeTime } from './format';

/** An API error as the user needs it: what happened, its code and the trace id to quote. */
export function ProblemNotice({ problem, title }: { problem: ApiProblem | null; title?: string }) {
  if (!problem) return null;
  return (
    <div class="notice notice-bad" role="alert">
      <p>
        <strong>{title ?? 'That did not work.'}</strong> {problem.message}
      </p>
      <p class="notice-meta">
        <span>
          Code <code>{problem.code}</code>
        </span>
        {problem.status !== null && <span>HTTP {problem.status}</span>}
        {problem.traceId && (
          <span>
            Trace id <code class="trace-id">{problem.traceId}</code>
          </span>
        )}
      </p>
    </div>
  );
}

export function Badge({ tone, children }: { tone: Tone; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

export function EmptyState({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      <div>{children}</div>
    </div>
  );
}

export function RelativeTime({ iso, now }: { iso: string | null | undefined; now: number }) {
  if (!iso) return <span>never</span>;
  return (
    <time dateTime={iso} title={fullTime(iso)}>
      {relativeTime(iso, Math.max(now, Date.now()))}
    </time>
  );
}

/** Re-renders every `intervalMs` so relative times stay true (the clock only, no request). */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * Runs one action at a time and keeps its problem: `const [run, busy, problem] = useAction()`;
 * `run(async () => …)` shows the API's error instead of throwing.
 */
export function useAction(): [(action: () => Promise<void>) => Promise<boolean>, boolean, ApiProblem | null, () => void] {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const run = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      return true;
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : problemFromFailure(error));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return [run, busy, problem, () => setProblem(null)];
}

interface ConfirmButtonProps {
  label: string;
  /** The question the dialog asks, e.g. "Wipe session demo?" */
  question: string;
  /** What will happen, in a sentence. */
  consequence: string;
  confirmLabel: string;
  danger?: boolean;
  disabled?: boolean;
  onConfirm: () => void;
}

/** A button that asks first, in a modal dialog (keyboard: Tab between the choices, Esc cancels). */
export function ConfirmButton({ label, question, consequence, confirmLabel, danger, disabled, onConfirm }: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useRef(`confirm-${Math.random().toString(36).slice(2)}`).current;
  const close = () => dialog.current?.close();
  return (
    <>
      <button type="button" class={danger ? 'button-danger' : 'button-secondary'} disabled={disabled} onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} class="dialog">
        <h2 id={titleId}>{question}</h2>
        <p>{consequence}</p>
        <div class="actions">
          <button type="button" class="button-secondary" onClick={close} autofocus>
            Cancel
          </button>
          <button
            type="button"
            class={danger ? 'button-danger' : 'button-primary'}
            onClick={() => {
              close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
