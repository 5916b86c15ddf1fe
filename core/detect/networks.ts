/** IPv4 and IPv6 CIDR matching, and the network lists of the `detect` configuration. */

export type Cidr = { version: 4; base: number; mask: number } | { version: 6; base: bigint; bits: number };

/** An IPv4 address as an unsigned 32-bit number, parsed by hand: this runs for every flow record. */
export function parseIpv4(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else return undefined;
  }
  return dots === 3 && digits > 0 ? value * 256 + part : undefined;
}

export function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-f:]+$/i.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  let value = 0n;
  for (const g of [...h, ...Array(tail === undefined ? 0 : missing).fill('0'), ...t]) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    value = (value << 16n) | BigInt(`0x${g}`);
  }
  return value;
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr = '', len] = text.split('/');
  const v4 = parseIpv4(addr);
  const bits = (max: number) => (len === undefined ? max : /^\d{1,3}$/.test(len) ? Number(len) : Number.NaN);
  if (v4 !== undefined) {
    const b = bits(32);
    if (!(b >= 0 && b <= 32)) return undefined;
    const mask = b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0;
    return { version: 4, base: (v4 & mask) >>> 0, mask };
  }
  const v6 = parseIpv6(addr);
  const b = bits(128);
  if (v6 === undefined || !(b >= 0 && b <= 128)) return undefined;
  const shift = BigInt(128 - b);
  return { version: 6, base: (v6 >> shift) << shift, bits: b };
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  if (cidr.version === 4) {
    const v = parseIpv4(ip);
    return v !== undefined && (v & cidr.mask) >>> 0 === cidr.base;
  }
  const v = ip.includes(':') ? parseIpv6(ip) : undefined;
  const shift = BigInt(128 - cidr.bits);
  return v !== undefined && v >> shift === cidr.base >> shift;
}

/** The IPv6 private ranges (IPv4 ones are tested by hand in isPrivateIp). */
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
  const v4 = parseIpv4(ip);
  if (v4 !== undefined) {
    const a = v4 >>> 24;
    const b = (v4 >>> 16) & 0xff;
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254)
    );
  }
  return PRIVATE.some((c) => c.version === 6 && cidrContains(c, ip));
}

/**
 * `detect.expectedNetworks` compiled: VPC endpoint ids, VNet/subnet resource ids (prefix match, any
 * case) and CIDRs. An IPv4 address is parsed and compared with the IPv4 ranges directly (that is
 * cheaper than any lookup, and addresses vary too much for a memo to hit); other addresses only
 * ever match IPv6 ranges, whose answers are memoized.
 */
export function networkMatcher(entries: readonly string[]) {
  const cidrs = entries.map(parseCidr).filter((c): c is Cidr => !!c);
  const v4 = cidrs.filter((c) => c.version === 4);
  const v6 = cidrs.filter((c) => c.version === 6);
  const ids = entries.filter((e) => !parseCidr(e)).map((e) => e.toLowerCase());
  const memo = new Map<string, boolean>();
  const ipMatches = (ip: string) => {
    const address = parseIpv4(ip);
    if (address !== undefined) {
      for (const c of v4) if ((address & c.mask) >>> 0 === c.base) return true;
      return false;
    }
    let hit = memo.get(ip);
    if (hit === undefined) {
      hit = v6.some((c) => cidrContains(c, ip));
      if (memo.size > 100_000) memo.clear();
      memo.set(ip, hit);
    }
    return hit;
  };
  const vpces = new Map<string, boolean>();
  const vpceMatches = (vpce: string) => {
    let hit = vpces.get(vpce);
    if (hit === undefined) {
      hit = ids.includes(vpce.toLowerCase());
      if (vpces.size > 10_000) vpces.clear();
      vpces.set(vpce, hit);
    }
    return hit;
  };
  return {
    empty: entries.length === 0,
    /** True when the request came through an expected endpoint/network or from an expected address. */
    matches(origin: { ip?: string; vpce?: string; resource?: string }): boolean {
      if (origin.vpce && vpceMatches(origin.vpce)) return true;
      const resource = origin.resource?.toLowerCase();
      if (resource && ids.some((id) => resource.startsWith(id))) return true;
      return !!origin.ip && ipMatches(origin.ip);
    },
  };
}
