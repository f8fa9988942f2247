import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses an untrusted URL may not reach (OWASP SSRF): loopback, private, carrier-grade NAT,
 * link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254 included), multicast,
 * reserved and unspecified, in IPv4 and IPv6; IPv4-mapped IPv6 is checked as IPv4.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Names that only ever mean something inside the machine or its network, refused before any
 * DNS lookup (a lookup alone can reach an internal resolver, and a later answer may differ):
 * - `localhost` and its subdomains (RFC 6761), `localhost.localdomain`, Debian's
 *   `ip6-localhost` / `ip6-loopback`;
 * - `.internal` (reserved for private use by ICANN, 2024): Google's `metadata.google.internal`,
 *   AWS's `instance-data.ec2.internal`, every cloud's private DNS;
 * - `.local`: mDNS (RFC 6762) answers only from the local link, so no public calendar can
 *   live there, and nss-mdns would let such a name reach a device on the LAN;
 * - `.home.arpa` (RFC 8375), the home network's own zone;
 * - any name without a dot: no public host has one (ICANN prohibits dotless domains), while
 *   resolver search lists turn `metadata` (GCE), `instance-data` (AWS) or `kubernetes`
 *   into internal hosts. Azure's and Oracle's metadata services have no name, only
 *   169.254.169.254, which the address policy refuses.
 * Case and a trailing root dot (`LOCALHOST.`) do not matter.
 */
const INTERNAL_SUFFIXES = ['.localhost', '.internal', '.local', '.home.arpa', '.localdomain'];

export function isInternalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  if (literalAddress(name) !== null) return false;
  if (!name.includes('.')) return true;
  return INTERNAL_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** A literal IP in a URL's host (brackets of IPv6 removed), or null for a name. */
export function literalAddress(hostname: string): string | null {
  const literal = hostname.replace(/^\[|\]$/g, '');
  return isIP(literal) ? literal : null;
}

/**
 * A DNS lookup that refuses names resolving to any non-public address. Given to the socket
 * itself, so the address checked is the address connected to (no second resolution to swap).
 */
export function guardedLookup(
  refused: () => Error,
  allowed: (address: string) => boolean = isPublicAddress,
): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      if (list.length === 0 || list.some((a) => !allowed(a.address)))
        return callback(refused() as NodeJS.ErrnoException, '', 0);
      if (options.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
