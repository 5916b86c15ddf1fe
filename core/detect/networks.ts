/** IPv4 and IPv6 CIDR matching, and the network lists of the `detect` configuration. */

export interface Cidr {
  version: 4 | 6;
  base: bigint;
  bits: number;
}

export function parseIp(text: string): { version: 4 | 6; value: bigint } | undefined {
  if (text.includes('.') && !text.includes(':')) {
    const parts = text.split('.');
    if (parts.length !== 4) return undefined;
    let value = 0n;
    for (const p of parts) {
      if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
      value = (value << 8n) | BigInt(p);
    }
    return { version: 4, value };
  }
  if (!/^[0-9a-f:]+$/i.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...h, ...Array(tail === undefined ? 0 : missing).fill('0'), ...t];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    value = (value << 16n) | BigInt(`0x${g}`);
  }
  return { version: 6, value };
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr = '', len] = text.split('/');
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const max = ip.version === 4 ? 32 : 128;
  const bits = len === undefined ? max : Number(len);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return undefined;
  const shift = BigInt(max - bits);
  return { version: ip.version, base: (ip.value >> shift) << shift, bits };
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const parsed = parseIp(ip);
  if (!parsed || parsed.version !== cidr.version) return false;
  const shift = BigInt((cidr.version === 4 ? 32 : 128) - cidr.bits);
  return parsed.value >> shift === cidr.base >> shift;
}

const PRIVATE = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
].map((c) => parseCidr(c) as Cidr);

/** RFC 1918, CGNAT, loopback, link-local and IPv6 unique-local addresses are not "external". */
export function isPrivateIp(ip: string): boolean {
  return PRIVATE.some((c) => cidrContains(c, ip));
}

/**
 * `detect.expectedNetworks` compiled: VPC endpoint ids, VNet/subnet resource ids (prefix match, any
 * case) and CIDRs. Lookups are memoized because the same few addresses recur on every line.
 */
export function networkMatcher(entries: readonly string[]) {
  const cidrs = entries.map(parseCidr).filter((c): c is Cidr => !!c);
  const ids = entries.filter((e) => !parseCidr(e)).map((e) => e.toLowerCase());
  const memo = new Map<string, boolean>();
  const ipMatches = (ip: string) => {
    let hit = memo.get(ip);
    if (hit === undefined) {
      hit = cidrs.some((c) => cidrContains(c, ip));
      if (memo.size > 100_000) memo.clear();
      memo.set(ip, hit);
    }
    return hit;
  };
  return {
    empty: entries.length === 0,
    /** True when the request came through an expected endpoint/network or from an expected address. */
    matches(origin: { ip?: string; vpce?: string; resource?: string }): boolean {
      if (origin.vpce && ids.includes(origin.vpce.toLowerCase())) return true;
      const resource = origin.resource?.toLowerCase();
      if (resource && ids.some((id) => resource.startsWith(id))) return true;
      return !!origin.ip && ipMatches(origin.ip);
    },
  };
}
