import type { LogFormat } from '@app/config';

/** What a process prints: `auto` turns into readable lines when a person watches the output (a terminal). */
export const chooseLogFormat = (setting: LogFormat, outputIsTerminal: boolean): 'json' | 'pretty' =>
  setting === 'auto' ? (outputIsTerminal ? 'pretty' : 'json') : setting;
