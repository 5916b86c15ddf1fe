import {
  fail,
  type PostureCheck,
  type PostureContext,
  pass,
  type Subject,
  unknown,
} from '../../../../core/posture/check.ts';
import type { Read } from '../../../../core/posture/snapshot.ts';
import { azureRead } from '../operations.ts';
import { get, nameOf, sameId } from '../subjects.ts';

interface FlowLog {
  name?: string;
  id?: string;
  properties?: {
    targetResourceId?: string;
    storageId?: string;
    enabled?: boolean;
    enabledFilteringCriteria?: string;
    format?: { type?: string; version?: number };
  };
}
interface Nic {
  properties?: { ipConfigurations?: { properties?: { subnet?: { id?: string } } }[] };
}
interface SubnetAnswer {
  properties?: { networkSecurityGroup?: { id?: string } };
}

const SUBNET =
  /^(\/subscriptions\/([^/]+)\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+)\/subnets\/[^/]+$/i;
const NIC =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/networkInterfaces\/[^/]+$/i;

/** Inference endpoints named by subnet or network interface id in detect.inferenceEndpoints. */
function endpoints(ctx: PostureContext): Subject[] {
  return ctx.config.detect.inferenceEndpoints
    .filter((e) => SUBNET.test(e) || NIC.test(e))
    .map((e) => ({
      kind: 'endpoint' as const,
      id: e,
      name: nameOf(e),
      account: (SUBNET.exec(e)?.[2] ?? NIC.exec(e)?.[1] ?? '').toLowerCase(),
      resources: [{ kind: NIC.test(e) ? ('network-interface' as const) : ('subnet' as const), id: e }],
    }));
}

/** The subnet of the endpoint: itself, or the NIC's first IP configuration's. */
function subnetOf(s: Subject, ctx: PostureContext): string | undefined {
  if (SUBNET.test(s.id)) return s.id;
  if (ctx.view.answer('Microsoft.Network/networkInterfaces', s.id).kind !== 'ok') return undefined;
  const nic = ctx.view.value<Nic>('Microsoft.Network/networkInterfaces', s.id);
  return nic.properties?.ipConfigurations?.[0]?.properties?.subnet?.id;
}

const watchersKey = (sub: string) => `/subscriptions/${sub}`;

/** VNet flow logs (or NSG flow logs version 2) with bytes on the inference endpoint, into storage. */
export const flowLogs: PostureCheck = {
  id: 'azure.flow-logs',
  cloud: 'azure',
  title: 'VNet flow logs on the inference subnet, to a storage account',
  why: 'the egress-volume and new-external-peer detectors read VNet flow logs of the inference endpoints; NSG flow logs version 1 carry no bytes',
  severity: 5,
  operations: [
    'Microsoft.Network/networkInterfaces',
    'Microsoft.Network/virtualNetworks/subnets',
    'Microsoft.Network/networkWatchers',
    'Microsoft.Network/networkWatchers/flowLogs',
  ],
  subjects: endpoints,
  reads(s, ctx) {
    const reads: Read[] = [];
    if (NIC.test(s.id)) reads.push(get('Microsoft.Network/networkInterfaces', s.id));
    const subnet = subnetOf(s, ctx);
    if (subnet) reads.push(get('Microsoft.Network/virtualNetworks/subnets', subnet));
    const key = watchersKey(s.account);
    reads.push(
      azureRead(
        'Microsoft.Network/networkWatchers',
        key,
        `${key}/providers/Microsoft.Network/networkWatchers`,
      ),
    );
    if (ctx.view.answer('Microsoft.Network/networkWatchers', key).kind === 'ok')
      for (const w of ctx.view.items<{ id?: string }>('Microsoft.Network/networkWatchers', key, 'value'))
        if (w.id)
          reads.push(azureRead('Microsoft.Network/networkWatchers/flowLogs', w.id, `${w.id}/flowLogs`));
    return reads;
  },
  evaluate(s, ctx) {
    const { view } = ctx;
    const subnet = subnetOf(s, ctx);
    if (!subnet) return unknown(`could not read the subnet of ${s.name}`);
    const nsg = view.value<SubnetAnswer>('Microsoft.Network/virtualNetworks/subnets', subnet).properties
      ?.networkSecurityGroup?.id;
    const vnet = SUBNET.exec(subnet)?.[1];
    const targets = [s.id, subnet, vnet].filter((x): x is string => !!x);
    const watchers = view.items<{ id?: string }>(
      'Microsoft.Network/networkWatchers',
      watchersKey(s.account),
      'value',
    );
    const logs = watchers.flatMap((w) =>
      w.id ? view.items<FlowLog>('Microsoft.Network/networkWatchers/flowLogs', w.id, 'value') : [],
    );
    const fix = `az network watcher flow-log create --name tourniquet-${nameOf(subnet)} --vnet ${vnet ?? '<vnet id>'} --storage-account <log storage account id> --location <region> (a VNet flow log; the subnet's VNet covers it)`;
    const onTarget = logs.filter((l) => targets.some((t) => sameId(t, l.properties?.targetResourceId)));
    const onNsg = nsg ? logs.filter((l) => sameId(nsg, l.properties?.targetResourceId)) : [];
    if (!onTarget.length && !onNsg.length) {
      const elsewhere = [...new Set(logs.map((l) => nameOf(l.properties?.targetResourceId ?? '?')))];
      return fail(
        `no flow log on ${nameOf(subnet)}, its VNet${nsg ? ' or its NSG' : ''}${elsewhere.length ? ` (flow logs exist on ${elsewhere.slice(0, 5).join(', ')})` : ''}`,
        fix,
      );
    }
    const judged = [
      ...onTarget.map((l) => ({ l, why: problems(l, false) })),
      ...onNsg.map((l) => ({ l, why: problems(l, true) })),
    ];
    const good = judged.find((j) => !j.why.length);
    if (good)
      return pass(
        `${good.l.name} on ${nameOf(good.l.properties?.targetResourceId ?? '')} to ${nameOf(good.l.properties?.storageId ?? '')}`,
      );
    return fail(judged.map((j) => `${j.l.name}: ${j.why.join(', ')}`).join(' | '), fix);
  },
};

function problems(log: FlowLog, nsg: boolean): string[] {
  const p = log.properties;
  return [
    ...(p?.enabled ? [] : ['disabled']),
    ...(p?.storageId ? [] : ['no storage account']),
    ...(p?.enabledFilteringCriteria
      ? [`filtered (${p.enabledFilteringCriteria}): only part of the traffic is logged`]
      : []),
    ...(nsg && p?.format?.version !== 2 ? ['NSG flow log version 1 has no bytes'] : []),
  ];
}
