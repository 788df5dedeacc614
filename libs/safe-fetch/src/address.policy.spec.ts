import type { LookupAddress } from 'node:dns';
import { type lookup as dnsLookup } from 'node:dns';
import { AddressPolicy, BlockedDestinationError } from './address.policy';

/** A resolver answering from a table, standing in for DNS (e.g. a public name pointed at 127.0.0.1). */
const fakeDns = (table: Record<string, string[]>) =>
  ((hostname: string, _options: unknown, callback: (error: Error | null, addresses: LookupAddress[]) => void) => {
    const addresses = table[hostname];
    if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  }) as unknown as typeof dnsLookup;

const resolveWith = (policy: AddressPolicy, dns: typeof dnsLookup, hostname: string, all: boolean) =>
  new Promise<{ error: Error | null; result: unknown }>((resolve) =>
    policy.guardedLookup(dns)(hostname, { all }, (error, address, family) => resolve({ error, result: all ? address : { address, family } })),
  );

describe('AddressPolicy', () => {
  const policy = new AddressPolicy([]);

  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.251',
    '255.255.255.255',
    '198.18.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    'fc00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::1',
    '2001:db8::1',
  ])('refuses %s', (address) => {
    expect(policy.refusal(address)).toMatch(/non-public address/);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '172.32.0.1', '100.128.0.1'])('permits public %s', (address) => {
    expect(policy.refusal(address)).toBeNull();
  });

  it('permits what the allow-list names: CIDRs, single addresses and host names', () => {
    const allowing = new AddressPolicy(['10.20.0.0/16', '127.0.0.1', 'fd00::/8', 'Media.Sim.Local']);
    expect(allowing.refusal('10.20.3.4')).toBeNull();
    expect(allowing.refusal('10.21.0.1')).not.toBeNull();
    expect(allowing.refusal('127.0.0.1')).toBeNull();
    expect(allowing.refusal('127.0.0.2')).not.toBeNull();
    expect(allowing.refusal('fd00::5')).toBeNull();
    expect(allowing.isHostAllowListed('media.sim.local.')).toBe(true);
    expect(allowing.isHostAllowListed('other.sim.local')).toBe(false);
  });

  it('rejects an allow-list entry that is not a valid CIDR', () => {
    expect(() => new AddressPolicy(['10.0.0.0/33'])).toThrow('URL_FETCH_ALLOWLIST: "10.0.0.0/33" is not a valid CIDR');
  });

  describe('guarded lookup (applied to the address a socket connects to)', () => {
    const dns = fakeDns({
      'public.example': ['93.184.216.34'],
      'rebound.example': ['127.0.0.1'],
      'mixed.example': ['10.0.0.7', '93.184.216.34', '::1'],
      'metadata.example': ['169.254.169.254', 'fd00::1'],
      'media.sim.local': ['127.0.0.1'],
    });

    it('passes public addresses through, in both lookup forms', async () => {
      expect(await resolveWith(policy, dns, 'public.example', false)).toEqual({ error: null, result: { address: '93.184.216.34', family: 4 } });
      expect(await resolveWith(policy, dns, 'public.example', true)).toEqual({ error: null, result: [{ address: '93.184.216.34', family: 4 }] });
    });

    it.each(['rebound.example', 'metadata.example'])('refuses a public-looking name that resolves to private addresses (%s)', async (name) => {
      const { error } = await resolveWith(policy, dns, name, true);
      expect(error).toBeInstanceOf(BlockedDestinationError);
      expect(error!.message).toMatch(new RegExp(`^${name} resolves only to non-public addresses`));
    });

    it('hands out only the public addresses of a name that resolves to both', async () => {
      expect(await resolveWith(policy, dns, 'mixed.example', true)).toEqual({ error: null, result: [{ address: '93.184.216.34', family: 4 }] });
    });

    it('lets an allow-listed host name resolve to anything, and passes DNS errors on', async () => {
      const allowing = new AddressPolicy(['media.sim.local']);
      expect((await resolveWith(allowing, dns, 'media.sim.local', false)).result).toEqual({ address: '127.0.0.1', family: 4 });
      expect((await resolveWith(policy, dns, 'media.sim.local', false)).error).toBeInstanceOf(BlockedDestinationError);
      expect((await resolveWith(policy, dns, 'nowhere.example', false)).error).toMatchObject({ code: 'ENOTFOUND' });
    });
  });
});
