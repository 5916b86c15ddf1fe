import {
  fail,
  type PostureCheck,
  type PostureContext,
  pass,
  type Subject,
} from '../../../../core/posture/check.ts';
import type { Read } from '../../../../core/posture/snapshot.ts';
import { azureRead } from '../operations.ts';
import { assetAccounts, azureScope, sameId, subscriptions } from '../subjects.ts';

interface SystemTopic {
  id?: string;
  name?: string;
  properties?: { source?: string; topicType?: string };
}
interface EventSubscription {
  name?: string;
  properties?: {
    provisioningState?: string;
    destination?: { endpointType?: string; properties?: { resourceId?: string; endpointBaseUrl?: string } };
    filter?: { includedEventTypes?: string[] | null };
    deadLetterDestination?: unknown;
    deadLetterWithResourceIdentity?: unknown;
  };
}

/** The event types the Tourniquet functions act on, per source (docs/azure.md). */
const NEEDED: Record<string, string[]> = {
  asset: ['Microsoft.Storage.BlobDeleted'],
  subscription: ['Microsoft.Resources.ResourceActionSuccess', 'Microsoft.Resources.ResourceWriteSuccess'],
};

const topicsKey = (sub: string) => `/subscriptions/${sub}`;
const topicsRead = (sub: string) =>
  azureRead(
    'Microsoft.EventGrid/systemTopics',
    topicsKey(sub),
    `/subscriptions/${sub}/providers/Microsoft.EventGrid/systemTopics`,
  );

function sources(ctx: PostureContext): Subject[] {
  return [...assetAccounts(ctx), ...subscriptions(ctx)].map((s) => ({
    ...s,
    resources: [
      { kind: 'event-subscription' as const, id: s.kind === 'asset' ? s.id : `/subscriptions/${s.id}` },
    ],
  }));
}
const sourceId = (s: Subject) => (s.kind === 'asset' ? s.id : `/subscriptions/${s.id}`);

/** A delivery to Tourniquet: the Event Grid function, or the alert webhook. */
function toTourniquet(e: EventSubscription): boolean {
  const d = e.properties?.destination;
  if (d?.endpointType === 'AzureFunction')
    return /\/functions\/tourniquet-events$/i.test(d.properties?.resourceId ?? '');
  if (d?.endpointType === 'WebHook')
    return /\/api\/tourniquet\/alert$/i.test(d.properties?.endpointBaseUrl ?? '');
  return false;
}

/** Each asset account and subscription delivers its events to Tourniquet, dead-lettering what fails. */
export const eventGridSubscriptions: PostureCheck = {
  id: 'azure.event-grid-subscriptions',
  cloud: 'azure',
  title: 'Event Grid subscriptions to Tourniquet, with dead-letter',
  why: 'automatic containment on Azure starts from these deliveries; Event Grid retries for 24 h and then drops an event that has no dead-letter destination',
  severity: 7,
  operations: ['Microsoft.EventGrid/systemTopics', 'Microsoft.EventGrid/systemTopics/eventSubscriptions'],
  subjects: sources,
  reads(s, ctx) {
    const reads: Read[] = azureScope(ctx).subscriptions.map(topicsRead);
    for (const topic of topicsOf(s, ctx))
      if (topic.id)
        reads.push(
          azureRead(
            'Microsoft.EventGrid/systemTopics/eventSubscriptions',
            topic.id,
            `${topic.id}/eventSubscriptions`,
          ),
        );
    return reads;
  },
  evaluate(s, ctx) {
    const fix =
      `az eventgrid system-topic event-subscription create --name tourniquet --resource-group <topic resource group> --system-topic-name <topic> ` +
      `--endpoint-type azurefunction --endpoint <function app id>/functions/tourniquet-events --deadletter-endpoint <storage account id>/blobServices/default/containers/eventgrid-deadletter` +
      ` (a system topic of type ${s.kind === 'asset' ? 'Microsoft.Storage.StorageAccounts' : 'Microsoft.Resources.Subscriptions'} on ${sourceId(s)})`;
    const topics = topicsOf(s, ctx);
    if (!topics.length) return fail(`no Event Grid system topic on ${s.name}`, fix);
    const subs = topics.flatMap((t) =>
      t.id
        ? ctx.view.items<EventSubscription>(
            'Microsoft.EventGrid/systemTopics/eventSubscriptions',
            t.id,
            'value',
          )
        : [],
    );
    const ours = subs.filter(toTourniquet);
    if (!ours.length) return fail(`no event subscription of ${s.name} delivers to Tourniquet`, fix);
    const needed = NEEDED[s.kind === 'asset' ? 'asset' : 'subscription'] ?? [];
    const notes: string[] = [];
    for (const e of ours) {
      const types = e.properties?.filter?.includedEventTypes;
      const missing = types?.length ? needed.filter((t) => !types.includes(t)) : [];
      const problems = [
        ...(e.properties?.provisioningState === 'Succeeded'
          ? []
          : [`state ${e.properties?.provisioningState}`]),
        ...(e.properties?.deadLetterDestination || e.properties?.deadLetterWithResourceIdentity
          ? []
          : ['no dead-letter destination']),
        ...(missing.length ? [`filters out ${missing.join(', ')}`] : []),
      ];
      if (!problems.length) return pass(`${e.name} delivers to Tourniquet with dead-letter`);
      notes.push(`${e.name}: ${problems.join(', ')}`);
    }
    return fail(notes.join(' | '), fix);
  },
};

function topicsOf(s: Subject, ctx: PostureContext): SystemTopic[] {
  const sub = s.account;
  if (ctx.view.answer('Microsoft.EventGrid/systemTopics', topicsKey(sub)).kind !== 'ok') return [];
  return ctx.view
    .items<SystemTopic>('Microsoft.EventGrid/systemTopics', topicsKey(sub), 'value')
    .filter((t) => sameId(t.properties?.source, sourceId(s)));
}
