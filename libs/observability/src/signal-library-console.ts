/**
 * libsignal (under Baileys, and in the simulator) prints through the global console, and some of
 * its messages carry whole session records, private keys included ("Closing session: SessionEntry
 * {…privKey…}"). Those lines go through here instead: the message text is kept, the objects are not.
 */
const SIGNAL_MESSAGES = [
  'Closing session',
  'Opening session',
  'Removing old closed session',
  'Session already closed',
  'Session already open',
  'Closing open session in favor of incoming prekey bundle',
  'Decrypted message with closed session',
  'Migrating session to',
];

type ConsoleMethod = 'info' | 'warn' | 'log';

/** Where a libsignal line goes once its arguments are dropped (a debug-level logger call, say). */
export type SignalLineSink = (message: string) => void;

const isSignalLine = (first: unknown): first is string => typeof first === 'string' && SIGNAL_MESSAGES.some((message) => first.startsWith(message));

/** Routes libsignal's console lines to `sink` without their arguments; other console output is untouched. */
export function redactSignalLibraryConsole(sink: SignalLineSink = () => undefined): void {
  for (const method of ['info', 'warn', 'log'] as ConsoleMethod[]) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      if (isSignalLine(args[0])) sink(args[0].replace(/:\s*$/, ''));
      else original(...args);
    };
  }
}
