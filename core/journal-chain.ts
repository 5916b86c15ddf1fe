import { CHAIN_VERSION, type StoredEntry } from './journal.ts';

/** One entry that does not hold up, named by its key under the journal root. */
export interface ChainProblem {
  key: string;
  problem: string;
}

/**
 * What `tourniquet verify` says about an incident's journal. `no-chain`: written before the hash
 * chain existed, so only its keys can be checked. `head` is the hash of the newest seal.
 */
export interface ChainVerdict {
  status: 'verified' | 'broken' | 'no-chain';
  head: string | null;
  entries: number;
  seals: number;
  problems: ChainProblem[];
  /** Entries written after the newest seal (a run that stopped before sealing): not proof of tampering. */
  unsealed: string[];
}

const ENTRY = /^(contain|release)\/([^/]+)\/(\d+)-(before|after|job)\.json$/;
const REQUEST = /^release\/request-(\d+)\.json$/;
const SEAL = /^seals\/(\d+)\.json$/;

interface Parsed {
  entry: StoredEntry;
  value: Record<string, unknown> | undefined;
}

/**
 * Recomputes an incident's hash chain from the stored entries. A changed byte shows as an entry
 * whose hash is not the one its seal recorded (or that its successor names); a removed entry as a
 * sealed key that is missing, or a `prev` that names nothing; a reordering as entries that hold
 * each other's sealed text, or that follow the wrong predecessor. Each problem names its entry;
 * successors of an entry already named are not blamed for it.
 */
export function verifyChain(stored: readonly StoredEntry[]): ChainVerdict {
  const byKey = new Map<string, Parsed>(stored.map((e) => [e.key, { entry: e, value: parse(e.text) }]));
  const claim = byKey.get('incident.json');
  const seals = [...byKey.values()]
    .filter((p) => SEAL.test(p.entry.key))
    .sort((a, b) => a.entry.key.localeCompare(b.entry.key));
  const base = { entries: stored.length, seals: seals.length };
  if (!claim?.value || claim.value.chain !== CHAIN_VERSION) {
    const problems = claim?.value
      ? []
      : [{ key: 'incident.json', problem: claim ? 'is not valid JSON' : 'is missing' }];
    return { status: problems.length ? 'broken' : 'no-chain', head: null, ...base, problems, unsealed: [] };
  }
  const problems: ChainProblem[] = [];
  const blamed = new Set<string>();
  const blame = (key: string, problem: string) => {
    if (blamed.has(key)) return;
    blamed.add(key);
    problems.push({ key, problem });
  };
  for (const p of byKey.values())
    if (!p.value && p.entry.key !== 'event.json') blame(p.entry.key, 'is not valid JSON');

  // Seals: consecutive, chained, and every entry they list present with the recorded hash.
  const sealed = new Map<string, { sha256: string; seal: string }>();
  let prevSeal = claim.entry.sha256;
  seals.forEach((s, i) => {
    const expected = `seals/${String(i + 1).padStart(3, '0')}.json`;
    if (s.entry.key !== expected) blame(expected, `is missing: the seals go on with ${s.entry.key}`);
    if (s.value && s.value.prev !== prevSeal) {
      blame(s.entry.key, 'does not follow the seal before it (or the claim): a seal was changed or removed');
    }
    prevSeal = s.entry.sha256;
    for (const item of (s.value?.entries as { key: string; sha256: string }[] | undefined) ?? []) {
      const earlier = sealed.get(item.key);
      if (!earlier) sealed.set(item.key, { sha256: item.sha256, seal: s.entry.key });
      else if (earlier.sha256 !== item.sha256)
        blame(item.key, `was changed between ${earlier.seal} and ${s.entry.key}`);
    }
  });
  const holding = new Map<string, string>();
  for (const p of byKey.values()) holding.set(p.entry.sha256, p.entry.key);
  for (const [key, { sha256, seal }] of sealed) {
    const found = byKey.get(key);
    if (!found) {
      const moved = holding.get(sha256);
      blame(key, moved ? `was moved to ${moved} (sealed in ${seal})` : `was removed (sealed in ${seal})`);
    } else if (found.entry.sha256 !== sha256) {
      const other = [...sealed].find(([k, v]) => v.sha256 === found.entry.sha256 && k !== key)?.[0];
      blame(
        key,
        other
          ? `holds the text sealed for ${other} in ${seal}: the two entries were swapped (reordered)`
          : `was changed after ${seal} recorded it (SHA-256 ${short(found.entry.sha256)}, sealed ${short(sha256)})`,
      );
    }
  }

  // Links: each entry follows the one it must follow.
  const hashes = new Map<string, string>([...byKey.values()].map((p) => [p.entry.key, p.entry.sha256]));
  for (const p of byKey.values()) {
    const expected = predecessors(p, byKey, hashes, claim.entry.sha256);
    if (!expected || !p.value) continue;
    const prev = p.value.prev;
    if (typeof prev !== 'string') {
      blame(p.entry.key, 'names no predecessor (prev): it was not written by this journal');
      continue;
    }
    if (expected.hashes.includes(prev)) continue;
    const named = holding.get(prev);
    const removed = [...sealed].find(([, v]) => v.sha256 === prev)?.[0];
    if ((named && blamed.has(named)) || (removed && blamed.has(removed))) continue;
    if (expected.keys.some((k) => blamed.has(k))) continue;
    blame(
      p.entry.key,
      named
        ? `follows ${named}, not ${expected.keys.join(' or ') || 'the entry it should'}: entries were reordered`
        : `follows an entry that is not in the journal (${short(prev)}): its predecessor was removed or changed`,
    );
  }

  const head = seals.at(-1)?.entry.sha256 ?? null;
  const unsealed = [...byKey.keys()].filter((k) => !SEAL.test(k) && !sealed.has(k)).sort();
  return { status: problems.length ? 'broken' : 'verified', head, ...base, problems, unsealed };
}

/** The keys (and their hashes) an entry may follow; undefined for entries outside the chain. */
function predecessors(
  p: Parsed,
  byKey: Map<string, Parsed>,
  hashes: Map<string, string>,
  claim: string,
): { keys: string[]; hashes: string[] } | undefined {
  const key = p.entry.key;
  const m = ENTRY.exec(key);
  const pick = (keys: string[]) => ({ keys, hashes: keys.map((k) => hashes.get(k) ?? '') });
  if (m) {
    const [, phase, action, n, side] = m;
    const attempt = Number(n);
    const pad = (x: number) => String(x).padStart(3, '0');
    // Attempt 1 of an action whose before-state the claim records has no before-entry: the claim is it.
    const claimed = phase === 'contain' && claimedBefore(byKey, action ?? '');
    const claimEntry = { keys: ['incident.json'], hashes: [claim] };
    if (side === 'job') return pick([`${phase}/${action}/${n}-after.json`]);
    if (side === 'after') {
      const before = `${phase}/${action}/${n}-before.json`;
      return attempt === 1 && claimed && !byKey.has(before) ? claimEntry : pick([before]);
    }
    if (attempt > 1) {
      const prior = `${phase}/${action}/${pad(attempt - 1)}`;
      const found = [`${prior}-after.json`, `${prior}-before.json`].filter((k) => byKey.has(k));
      return !found.length && attempt === 2 && claimed ? claimEntry : pick(found);
    }
    if (phase === 'contain') return { keys: ['incident.json'], hashes: [claim] };
    return pick([...byKey.keys()].filter((k) => REQUEST.test(k)));
  }
  if (REQUEST.test(key)) {
    const others = [...byKey.keys()].filter((k) => SEAL.test(k) || (REQUEST.test(k) && k < key));
    return { keys: ['incident.json', ...others], hashes: [claim, ...others.map((k) => hashes.get(k) ?? '')] };
  }
  return undefined;
}

/** Whether the claim records the before-state of `action` (`IncidentRecord.befores`). */
function claimedBefore(byKey: Map<string, Parsed>, action: string): boolean {
  const befores = byKey.get('incident.json')?.value?.befores;
  return !!befores && typeof befores === 'object' && Object.hasOwn(befores, action);
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const short = (hash: string) => `${hash.slice(0, 12)}…`;
