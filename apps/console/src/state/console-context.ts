import type { components } from '@app/client';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleApi } from '../api/console-api';
import type { ConsoleAction, ConsoleState } from './console.reducer';

export type Me = components['schemas']['MeDto'];
export type UserDto = components['schemas']['UserDto'];

/** What every signed-in page needs: the API with the credential, who is signed in, the live state. */
export interface ConsoleContextValue {
  api: ConsoleApi;
  me: Me;
  state: ConsoleState;
  dispatch: (action: ConsoleAction) => void;
  /** Reload the sessions list (after a gap in the live events, or on demand). */
  reloadSessions: () => Promise<void>;
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside the signed-in console');
  return value;
}

export const isAdmin = (me: Me): boolean => me.role === 'admin';
export const canWrite = (me: Me): boolean => me.role !== 'readonly';
