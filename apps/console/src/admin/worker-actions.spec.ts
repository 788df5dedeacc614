import { optionalWorkerActions, workerStateLabel } from './worker-actions';

describe('worker actions and states', () => {
  it('offers only the worker actions the OpenAPI document has', () => {
    expect(optionalWorkerActions({ '/workers': { get: {} } })).toEqual([]);
    const actions = optionalWorkerActions({ '/workers': { get: {} }, '/workers/{id}/drain': { post: {} }, '/workers/{id}/uncordon': { post: {} } });
    expect(actions.map((action) => [action.name, action.confirm])).toEqual([
      ['drain', true],
      ['uncordon', false],
    ]);
    expect(optionalWorkerActions({ '/workers/{id}/drain': { get: {} } })).toEqual([]);
  });

  it('describes a worker by reachability, then its reported state', () => {
    expect(workerStateLabel({ reachable: false, state: 'active' })).toEqual({ label: 'Unreachable', tone: 'bad' });
    expect(workerStateLabel({ reachable: true })).toEqual({ label: 'Active', tone: 'ok' });
    expect(workerStateLabel({ reachable: true, state: 'draining' })).toEqual({ label: 'Draining', tone: 'pending' });
  });
});
