import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** A destination that outbound fetches must not reach. */
export class BlockedDestinationError extends Error {
  readonly code = 'EBLOCKEDDESTINATION';
  constructor(message: string) {
    super(message);
    this.name = 'BlockedDestinationError';
  }
}

/**
 * Addresses that are not the public internet (IANA special-purpose registries): loopback, private,
 * link-local (cloud metadata at 169.254.169.254), unique-local, CGNAT, multicast, unspecified,
 * documentation, benchmarking and reserved ranges, and the IPv6 forms that embed IPv4 (6to4; NAT64
 * of the IPv4 ranges is added below). IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is matched by the IPv4
 * rules: BlockList maps it.
 */
const NON_PUBLIC: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  // ::/96 holds :: (unspecified), ::1 (loopback) and the deprecated IPv4-compatible forms.
  ['::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001::', 23, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['3fff::', 20, 'ipv6'],
  ['5f00::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

/** The NAT64 form (64:ff9b::/96, RFC 6052) of an IPv4 network: the IPv4 address in the last 32 bits. */
function nat64(network: string, prefix: number): [string, number] {
  const [a, b, c, d] = network.split('.').map(Number) as [number, number, number, number];
  const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
  return [`64:ff9b::${hex(a, b)}:${hex(c, d)}`, 96 + prefix];
}

const family = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** `[::1]` (URL form) → `::1`; host names lower-case without a trailing dot. */
export const bareHost = (hostname: string): string =>
  hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();

/**
 * Which destinations outbound HTTP may reach: public addresses, plus whatever the allow-list
 * names (CIDRs, single addresses, exact host names), for the simulator's media host and tests.
 */
export class AddressPolicy {
  private readonly nonPublic = new BlockList();
  private readonly allowedNets = new BlockList();
  private readonly allowedHosts = new Set<string>();

  constructor(allowList: readonly string[]) {
    for (const [network, prefix, type] of NON_PUBLIC) {
      this.nonPublic.addSubnet(network, prefix, type);
      if (type === 'ipv4') this.nonPublic.addSubnet(...nat64(network, prefix), 'ipv6');
    }
    for (const entry of allowList.map((item) => item.trim()).filter(Boolean)) this.allow(entry);
  }

  /** Whether the host name itself is allow-listed (then any address it resolves to may be used). */
  isHostAllowListed(hostname: string): boolean {
    return this.allowedHosts.has(bareHost(hostname));
  }

  /** Why an IP address may not be reached, or null when it may. */
  refusal(address: string): string | null {
    if (isIP(address) === 0) return `${address} is not an IP address`;
    const type = family(address);
    if (this.allowedNets.check(address, type)) return null;
    if (this.nonPublic.check(address, type)) {
      return `${address} is a private, loopback, link-local or otherwise non-public address`;
    }
    return null;
  }

  /**
   * A dns.lookup for sockets that only hands out permitted addresses, so the check applies to
   * the address actually connected to (DNS rebinding and names like `localhost` fail too).
   */
  guardedLookup(resolve: typeof dnsLookup = dnsLookup): LookupFunction {
    return (hostname, options, callback) => {
      resolve(hostname, { ...options, all: true }, (error, resolved: LookupAddress[]) => {
        if (error) return callback(error, '', 0);
        const permitted = this.isHostAllowListed(hostname) ? resolved : resolved.filter((entry) => this.refusal(entry.address) === null);
        const first = permitted[0];
        if (!first) {
          const addresses = resolved.map((entry) => entry.address).join(', ');
          return callback(new BlockedDestinationError(`${hostname} resolves only to non-public addresses (${addresses})`), '', 0);
        }
        if (options.all) callback(null, permitted);
        else callback(null, first.address, first.family);
      });
    };
  }

  private allow(entry: string): void {
    const slash = entry.indexOf('/');
    if (slash >= 0) {
      const network = bareHost(entry.slice(0, slash));
      const prefix = Number(entry.slice(slash + 1));
      const type = family(network);
      const maxPrefix = type === 'ipv4' ? 32 : 128;
      if (isIP(network) === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) {
        throw new Error(`URL_FETCH_ALLOWLIST: "${entry}" is not a valid CIDR`);
      }
      this.allowedNets.addSubnet(network, prefix, type);
    } else if (isIP(bareHost(entry)) !== 0) {
      this.allowedNets.addAddress(bareHost(entry), family(bareHost(entry)));
    } else {
      this.allowedHosts.add(bareHost(entry));
    }
  }
}
