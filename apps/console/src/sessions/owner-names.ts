import { useEffect, useState } from 'preact/hooks';
import { unwrap } from '../api/api-problem';
import { isAdmin, useConsole, type UserDto } from '../state/console-context';

/**
 * The users an admin can pick as a session's owner and whose emails name the owners in lists;
 * for everyone else, just themselves.
 */
export function useKnownUsers(): UserDto[] {
  const { api, me } = useConsole();
  const [users, setUsers] = useState<UserDto[]>(me.user ? [me.user] : []);
  useEffect(() => {
    if (!isAdmin(me)) return;
    unwrap(api.client.GET('/users', { params: { query: { limit: 500 } } }))
      .then(setUsers)
      .catch(() => undefined);
  }, [api, me]);
  return users;
}

export const ownerName = (ownerId: string, users: UserDto[], meId: string | undefined): string => {
  if (ownerId === meId) return 'you';
  return users.find((user) => user.id === ownerId)?.email ?? ownerId;
};
