import { isIPv4, isIPv6 } from 'node:net';

/**
 * The part of a client address that rate limits and failure counters are keyed by. An IPv4 address
 * counts as itself; an IPv6 address by its /64 network, since one subscriber is
 * routinely handed a whole /64 and could otherwise take a fresh address for every
 * guess. An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) is the IPv4 address.
 */
export function clientAddressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped && isIPv4(mapped[1])) {
    return mapped[1];
  }
  if (isIPv4(ip)) {
    return ip;
  }
  if (isIPv6(ip)) {
    return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
  }
  // Not an address (a test double, a unix socket): counted as given.
  return ip;
}

/** The eight 16-bit groups of an IPv6 address, zone id and embedded IPv4 included. */
function expandIPv6(ip: string): string[] {
  const address = ip.split('%')[0].toLowerCase();
  const [head, tail = ''] = address.includes('::') ? address.split('::') : [address, undefined];
  const groups = (part: string): string[] => (part ? part.split(':').flatMap(ipv4AsGroups) : []);
  const left = groups(head);
  const right = groups(tail ?? '');
  const zeros = address.includes('::') ? Array<string>(8 - left.length - right.length).fill('0') : [];
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16).toString(16));
}

function ipv4AsGroups(group: string): string[] {
  if (!group.includes('.')) {
    return [group];
  }
  const [a, b, c, d] = group.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
