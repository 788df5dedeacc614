import type { components } from '@app/client';
import { useEffect, useState } from 'preact/hooks';
import { unwrap } from '../api/api-problem';
import { Badge, ConfirmButton, EmptyState, ProblemNotice, RelativeTime, useAction, useNow } from '../ui/components';
import { loadPercent } from '../ui/format';
import { useConsole } from '../state/console-context';
import { workerStateLabel, type WorkerAction, type WorkerStateFields } from './worker-actions';

/** Set at build time from openapi.json (vite.config.ts): the worker actions this API has. */
declare const __WORKER_ACTIONS__: WorkerAction[];

type WorkerView = components['schemas']['WorkerDto'] & WorkerStateFields;

/** Session workers: what each holds against its capacity, and whether it answers. Admins only. */
export function WorkersPage() {
  const { api } = useConsole();
  const now = useNow();
  const [workers, setWorkers] = useState<WorkerView[] | null>(null);
  const [run, busy, problem] = useAction();
  const load = () => run(async () => setWorkers(await unwrap(api.client.GET('/workers'))));
  useEffect(() => void load(), [api]);

  const act = (worker: WorkerView, action: WorkerAction) =>
    void run(async () => {
      await api.postUntyped(`/workers/${encodeURIComponent(worker.id)}/${action.name}`);
      setWorkers(await unwrap(api.client.GET('/workers')));
    });

  return (
    <main id="main">
      <h1 tabIndex={-1}>Workers</h1>
      <p class="lead">Session workers hold the live WhatsApp connections; each session is owned by one worker at a time.</p>
      <p>
        <button type="button" class="button-secondary" onClick={() => void load()} disabled={busy}>
          {busy ? 'Refreshing…' : 'Refresh'}
        </button>
      </p>
      <ProblemNotice problem={problem} />
      {__WORKER_ACTIONS__.length === 0 && (
        <p class="notice notice-info" data-placeholder="worker-actions">
          <strong>Drain and uncordon:</strong> not offered by this gateway's API yet. Buttons to move a worker's sessions to the others (POST
          /workers/&#123;id&#125;/drain) and to take sessions again (…/uncordon) appear here once it has them.
        </p>
      )}
      {workers === null ? null : workers.length === 0 ? (
        <EmptyState title="No session worker is running.">
          <p>
            Sessions cannot connect until one starts. Start the suite with `npm start` (SESSION_WORKERS sets how many) or scale the session-worker deployment.
          </p>
        </EmptyState>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Session workers</caption>
          <thead>
            <tr>
              <th scope="col">Worker</th>
              <th scope="col">State</th>
              <th scope="col">Sessions held</th>
              <th scope="col">Host and pid</th>
              <th scope="col">Started</th>
              <th scope="col">Last heartbeat</th>
              {__WORKER_ACTIONS__.length > 0 && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {workers.map((worker) => {
              const state = workerStateLabel(worker);
              return (
                <tr key={worker.id}>
                  <th scope="row" data-label="Worker">
                    <code>{worker.id}</code>
                  </th>
                  <td data-label="State">
                    <Badge tone={state.tone}>{state.label}</Badge>
                  </td>
                  <td data-label="Sessions held">
                    <meter
                      min={0}
                      max={Math.max(worker.capacity, 1)}
                      value={worker.sessionsHeld}
                      aria-label={`${worker.sessionsHeld} of ${worker.capacity} sessions`}
                    />{' '}
                    {worker.sessionsHeld} / {worker.capacity} ({loadPercent(worker.sessionsHeld, worker.capacity)} %)
                  </td>
                  <td data-label="Host and pid">
                    {worker.host} · {worker.pid}
                  </td>
                  <td data-label="Started">
                    <RelativeTime iso={worker.startedAt} now={now} />
                  </td>
                  <td data-label="Last heartbeat">
                    <RelativeTime iso={worker.heartbeatAt} now={now} />
                  </td>
                  {__WORKER_ACTIONS__.length > 0 && (
                    <td data-label="Actions" class="actions">
                      {__WORKER_ACTIONS__.map((action) =>
                        action.confirm ? (
                          <ConfirmButton
                            key={action.name}
                            label={action.label}
                            question={`${action.label} ${worker.id}?`}
                            consequence={action.description}
                            confirmLabel={action.label}
                            disabled={busy}
                            onConfirm={() => act(worker, action)}
                          />
                        ) : (
                          <button
                            key={action.name}
                            type="button"
                            class="button-secondary"
                            title={action.description}
                            disabled={busy}
                            onClick={() => act(worker, action)}
                          >
                            {action.label}
                          </button>
                        ),
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </main>
  );
}
