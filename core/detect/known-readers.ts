import type { PrincipalRef } from '../alert.ts';
import type { Config } from '../config.ts';
import { principalMatches } from '../principal-match.ts';
import { lru } from './lru.ts';
import { networkMatcher } from './networks.ts';

/** A known reader's profile: who, and the networks it is trusted from (none: `detect.expectedNetworks`). */
export interface ReaderProfile {
  principal: string;
  networks: readonly string[];
}

/** Every `detect.knownReaders` entry as a profile (a bare string is a profile with no networks). */
export function readerProfiles(config: Config): ReaderProfile[] {
  return config.detect.knownReaders.map((r) =>
    typeof r === 'string' ? { principal: r, networks: [] } : { principal: r.principal, networks: r.networks },
  );
}

/** The principal patterns of the known readers. */
export function knownReaderPatterns(config: Config): string[] {
  return readerProfiles(config).map((p) => p.principal);
}

/**
 * Which networks a principal's weight reads are expected from: its profile's, else the deployment's
 * `detect.expectedNetworks`. `known` tells whether a profile matched. The answers are memoized per
 * session (else principal) in an LRU of `max` entries: a log may name a million sessions.
 */
export function expectedNetworksFor(config: Config, max = config.detect.maxStateEntries) {
  const profiles = readerProfiles(config).map((p) => ({
    ...p,
    matcher: p.networks.length ? networkMatcher(p.networks) : undefined,
  }));
  const global = networkMatcher(config.detect.expectedNetworks);
  const cache = lru<string, { known: boolean; matcher: ReturnType<typeof networkMatcher> }>(max);
  return (principal: PrincipalRef) => {
    const key = principal.aliases.find((a) => a.type === 'session-arn')?.value ?? principal.id;
    let hit = cache.get(key);
    if (!hit) {
      const profile = profiles.find((p) => principalMatches(p.principal, principal));
      hit = { known: !!profile, matcher: profile?.matcher ?? global };
      cache.set(key, hit);
    }
    return hit;
  };
}
