import { redactSignalLibraryConsole } from './signal-library-console';

describe('redactSignalLibraryConsole', () => {
  const originals = { info: console.info, warn: console.warn, log: console.log };
  afterEach(() => Object.assign(console, originals));

  it('keeps the text of libsignal lines and drops the session records they carry', () => {
    const written: unknown[][] = [];
    Object.assign(console, { info: (...args: unknown[]) => written.push(args), warn: (...args: unknown[]) => written.push(args) });
    const sunk: string[] = [];
    redactSignalLibraryConsole((line) => sunk.push(line));

    console.info('Closing session:', { currentRatchet: { ephemeralKeyPair: { privKey: Buffer.from('secret') } } });
    console.warn('Closing open session in favor of incoming prekey bundle');
    console.info('an unrelated line', { kept: true });

    expect(sunk).toEqual(['Closing session', 'Closing open session in favor of incoming prekey bundle']);
    expect(written).toEqual([['an unrelated line', { kept: true }]]);
  });
});
