import * as z from 'zod/mini';
import { assetDataFields } from '../compliance-config.ts';
import { isCognitiveAccountId, isGuid, isStorageIpRule, isSubnetId } from '../names.ts';
import { ASSET_KINDS } from './asset-kinds.ts';
import { httpsUrl, refine } from './fields.ts';

const guid = refine(z.string(), isGuid, 'must be an Entra object id (GUID)');
const storageAccountId = refine(
  z.string(),
  (v) =>
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w().-]{1,90}\/providers\/Microsoft\.Storage\/storageAccounts\/[a-z0-9]{3,24}$/i.test(
      v,
    ),
  'must be a storage account resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>)',
);
const privateEndpointId = refine(
  z.string(),
  (v) =>
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateEndpoints\/[^/]+$/i.test(
      v,
    ),
  'must be a private endpoint resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateEndpoints/<name>)',
);
const containerName = refine(
  z.string(),
  (v) => /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(v) || v === '$root',
  'must be a blob container name',
);

/** Where the Azure functions' escalations go besides the log line an alert rule watches. */
const azureNotify = z.strictObject({
  /** Chat or paging webhooks: each escalation is posted as JSON with a `text` a phone reads. */
  webhooks: z._default(z.array(httpsUrl), []),
  /** The action group the escalation log alert fires (deploy/azure-escalation-alert.json). */
  actionGroupId: z.optional(
    refine(
      z.string(),
      (v) =>
        /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w().-]{1,90}\/providers\/microsoft\.insights\/actionGroups\/[\w-]{1,260}$/i.test(
          v,
        ),
      'must be an action group resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/microsoft.insights/actionGroups/<name>)',
    ),
  ),
});

const azureAsset = z.strictObject({
  storageAccount: storageAccountId,
  containers: z.array(containerName).check(z.minLength(1)),
  kind: z.enum(ASSET_KINDS),
  prefixes: z._default(z.array(z.string().check(z.maxLength(1024))), []),
  ...assetDataFields,
});

const networkRules = z.strictObject({
  virtualNetworkSubnetIds: z._default(
    z.array(refine(z.string(), isSubnetId, 'must be a subnet resource id')),
    [],
  ),
  ipRanges: z._default(
    z.array(refine(z.string(), isStorageIpRule, 'must be a public IPv4 address or CIDR range /8–/30')),
    [],
  ),
});

const aiAccount = z.strictObject({
  account: refine(
    z.string(),
    isCognitiveAccountId,
    'must be a Cognitive Services account resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>)',
  ),
  /**
   * `disable`: API keys stop (`disableLocalAuth: true`, restored on release). `rotate`: for
   * accounts whose applications must keep using keys, both keys are regenerated instead — the old
   * keys are gone for good, and the applications need the new ones.
   */
  localAuth: z._default(z.enum(['disable', 'rotate']), 'disable'),
  /**
   * The networks the applications call from. When an alert's actor is an IP address, the account's
   * network default action becomes Deny with only these (and `responderNetwork`) allowed; without
   * them, an IP actor is escalated.
   */
  allowedNetworks: z.optional(networkRules),
});

/** The `azure` section. */
export const azure = z.strictObject({
  tenantId: guid,
  subscriptions: z.array(guid).check(z.minLength(1)),
  responders: z.array(guid).check(z.minLength(1)),
  protectedPrincipals: z._default(z.array(guid), []),
  /** The deployment's own managed identities (object ids): guarded like responders on every path. */
  ownIdentities: z._default(z.array(guid), []),
  assets: z._default(z.array(azureAsset), []),
  evidence: z.strictObject({ storageAccount: storageAccountId, container: containerName }),
  /** Also set `accountEnabled=false` on the service principal (needs a Microsoft Graph permission). */
  disableServicePrincipals: z._default(z.boolean(), false),
  /** Rotate both storage account keys during quarantine (kills key-signed SAS; breaks key users). */
  rotateKeys: z._default(z.boolean(), false),
  quarantine: z._default(
    z.strictObject({
      /**
       * Also remove the direct data-plane role assignments (blob data roles) at a quarantined
       * account and its containers, guarded principals skipped; recreated on release.
       */
      removeDataRoleAssignments: z._default(z.boolean(), false),
      /**
       * Also set `publicNetworkAccess: Disabled` on a quarantined account (restored on release).
       * That shuts out every IP and virtual network rule, `responderNetwork` included: only private
       * endpoints still reach the data plane, so it needs `responderPrivateEndpoints`.
       */
      disablePublicNetworkAccess: z._default(z.boolean(), false),
      /** Private endpoints (resource ids) responders reach the storage data plane through. */
      responderPrivateEndpoints: z._default(z.array(privateEndpointId), []),
    }),
    { removeDataRoleAssignments: false, disablePublicNetworkAccess: false, responderPrivateEndpoints: [] },
  ),
  /** Object ids expected to list keys, write role assignments or delete blobs on protected storage. */
  knownIdentities: z._default(z.array(guid), []),
  /**
   * Event Grid custom topics (resource ids) whose alerts may act; an alert published to any other
   * custom topic (whoever may publish there could forge it) escalates only (core/low-trust.ts).
   */
  trustedTopics: z._default(
    z.array(
      refine(
        z.string(),
        (v) =>
          /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.EventGrid\/(topics|domains)\/[^/]+$/i.test(
            v,
          ),
        'must be an Event Grid topic resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.EventGrid/topics/<name>)',
      ),
    ),
    [],
  ),
  /** Who hears of escalations besides the log alert rule (docs/notifications.md). */
  notify: z._default(azureNotify, { webhooks: [] }),
  inference: z._default(
    z.strictObject({
      /** Azure OpenAI / AI Foundry accounts Tourniquet may close when an alert names them. */
      accounts: z._default(z.array(aiAccount), []),
    }),
    { accounts: [] },
  ),
  /** Where responders keep data-plane access once a quarantine sets the network default action to Deny. */
  responderNetwork: z.optional(networkRules),
});
