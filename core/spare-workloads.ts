import type { Alert, PrincipalRef, ResourceKind } from './alert.ts';
import type { Config } from './config.ts';
import type { Intent } from './playbooks/playbook.ts';

const STORE_KINDS: ReadonlySet<ResourceKind> = new Set(['bucket', 'storage-account', 'container']);

/**
 * Why a detector finding's store quarantine is left to humans, or undefined when it stands.
 *
 * A quarantine denies everyone but responders and break-glass, so on a store the configured
 * workloads read (`detect.knownReaders`: the inference fleet, fine-tuning, RAG) it takes production
 * down. Where the finding's actor is revoked, the revocation already cuts the attacker off; the
 * quarantine adds protection against credentials nobody has seen yet at the price of an outage.
 * Tourniquet's own detectors therefore spare the store unless `detect.quarantine` is `always`.
 * Cloud alerts (GuardDuty, Defender) and manual requests are not affected, and a finding with no
 * one to revoke (an anonymous read of a public store) still quarantines: closing it is the only cut.
 */
export function sparedWorkloads(
  alert: Alert,
  config: Config,
  intents: ReadonlySet<Intent>,
  revocable: readonly PrincipalRef[],
  manual: boolean,
): string | undefined {
  if (alert.source !== 'detector' || manual || config.detect.quarantine === 'always') return undefined;
  if (!intents.has('contain-resources') || revocable.length === 0) return undefined;
  const readers = config.detect.knownReaders.map((r) => (typeof r === 'string' ? r : r.principal));
  if (readers.length === 0) return undefined;
  const stores =
    [...new Set(alert.resources.filter((r) => STORE_KINDS.has(r.kind)).map((r) => r.id))].join(', ') ||
    'the stores it names';
  const shown =
    readers.slice(0, 3).join(', ') + (readers.length > 3 ? ` and ${readers.length - 3} more` : '');
  return (
    `quarantine of ${stores} withheld: workloads read it (detect.knownReaders: ${shown}) and the revocation ` +
    'already cuts the actor off; quarantine by hand (tourniquet contain) if the store itself is exposed, ' +
    'or set detect.quarantine to "always"'
  );
}
