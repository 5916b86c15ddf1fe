import {
  fail,
  type PostureCheck,
  type PostureContext,
  pass,
  type Subject,
  unknown,
} from '../../../../core/posture/check.ts';
import { awsRead } from '../operations.ts';
import { awsScope, bucketOfArn, logBuckets } from '../subjects.ts';

interface Interface {
  NetworkInterfaceId?: string;
  SubnetId?: string;
  VpcId?: string;
}
interface FlowLog {
  FlowLogId?: string;
  FlowLogStatus?: string;
  ResourceId?: string;
  TrafficType?: string;
  LogDestinationType?: string;
  LogDestination?: string;
  LogFormat?: string;
}

/** The fields the egress detectors read from a flow record (core/detect/formats/vpc-flow-log.ts). */
const NEEDED_FIELDS = ['srcaddr', 'dstaddr', 'bytes'].map((f) => `\${${f}}`);
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Inference endpoints named by ENI id or address in detect.inferenceEndpoints. */
function endpoints(ctx: PostureContext): Subject[] {
  const { account } = awsScope(ctx);
  return ctx.config.detect.inferenceEndpoints
    .filter((e) => !e.startsWith('/subscriptions/'))
    .map((e) => ({
      kind: 'endpoint' as const,
      id: e,
      name: e,
      account,
      resources: [
        { kind: e.startsWith('eni-') ? ('network-interface' as const) : ('other' as const), id: e },
      ],
    }));
}

const lookup = (entry: string) =>
  entry.startsWith('eni-')
    ? { NetworkInterfaceIds: [entry] }
    : { Filters: [{ Name: 'addresses.private-ip-address', Values: [entry] }] };

/** VPC flow logs with byte counts on the inference endpoints' interfaces, subnets or VPCs. */
export const flowLogs: PostureCheck = {
  id: 'aws.flow-logs',
  cloud: 'aws',
  title: 'VPC flow logs with bytes on the inference endpoint',
  why: 'the egress-volume and new-external-peer detectors read VPC flow logs of the inference endpoints; without bytes they cannot see a drain',
  severity: 5,
  operations: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeFlowLogs'],
  subjects: endpoints,
  reads(s, ctx) {
    if (!s.id.startsWith('eni-') && !IPV4.test(s.id)) return [];
    return awsScope(ctx).regions.flatMap((region) => [
      awsRead('ec2:DescribeNetworkInterfaces', `${region}/${s.id}`, lookup(s.id), region),
      awsRead('ec2:DescribeFlowLogs', region, {}, region),
    ]);
  },
  evaluate(s, ctx) {
    if (!s.id.startsWith('eni-') && !IPV4.test(s.id))
      return unknown(
        `${s.id} is a network range: name the inference interfaces (eni-…) or their addresses in detect.inferenceEndpoints to check their flow logs`,
      );
    const { view } = ctx;
    const regions = awsScope(ctx).regions;
    const found = regions
      .map((region) => ({ region, eni: foundInterface(ctx, region, s.id) }))
      .find((x) => x.eni);
    if (!found?.eni) {
      const unread = regions.filter(
        (r) => view.answer('ec2:DescribeNetworkInterfaces', `${r}/${s.id}`).kind !== 'ok',
      );
      if (unread.length) return unknown(`could not look ${s.id} up in ${unread.join(', ')}`);
      return unknown(
        `no network interface ${s.id} in ${regions.join(', ')} (set posture.regions to where it is)`,
      );
    }
    const { eni, region } = found;
    const mine = [eni.NetworkInterfaceId, eni.SubnetId, eni.VpcId].filter((x): x is string => !!x);
    const logs = view.items<FlowLog>('ec2:DescribeFlowLogs', region, 'FlowLogs');
    const relevant = logs.filter((l) => l.ResourceId && mine.includes(l.ResourceId));
    const target = logBuckets(ctx)[0] ?? '<a bucket in aws.logBuckets>';
    const fix =
      `aws ec2 create-flow-logs --region ${region} --resource-type Subnet --resource-ids ${eni.SubnetId} --traffic-type ALL ` +
      `--log-destination-type s3 --log-destination arn:aws:s3:::${target}/vpc-flow/ --log-format '\${version} \${account-id} \${interface-id} \${srcaddr} \${dstaddr} \${srcport} \${dstport} \${protocol} \${packets} \${bytes} \${start} \${end} \${action} \${log-status} \${flow-direction}'`;
    if (!relevant.length) {
      const elsewhere = [...new Set(logs.map((l) => l.ResourceId).filter(Boolean))];
      return fail(
        `no flow log on ${mine.join(', ')}${elsewhere.length ? ` (flow logs exist on ${elsewhere.slice(0, 5).join(', ')})` : ''}`,
        fix,
      );
    }
    const problems = relevant.map((l) => ({ log: l, why: flowLogProblems(l, logBuckets(ctx)) }));
    const good = problems.find((p) => !p.why.length);
    if (good)
      return pass(
        `${good.log.FlowLogId} on ${good.log.ResourceId} delivers ${good.log.TrafficType} traffic with bytes to ${good.log.LogDestination}`,
      );
    return fail(
      problems.map((p) => `${p.log.FlowLogId} on ${p.log.ResourceId}: ${p.why.join(', ')}`).join(' | '),
      fix,
    );
  },
};

function foundInterface(ctx: PostureContext, region: string, entry: string): Interface | undefined {
  const a = ctx.view.answer('ec2:DescribeNetworkInterfaces', `${region}/${entry}`);
  if (a.kind !== 'ok') return undefined;
  return ctx.view.items<Interface>(
    'ec2:DescribeNetworkInterfaces',
    `${region}/${entry}`,
    'NetworkInterfaces',
  )[0];
}

/** What keeps a flow log from feeding the detectors; empty when it does. */
export function flowLogProblems(log: FlowLog, logBucketNames: readonly string[]): string[] {
  const out: string[] = [];
  if (log.FlowLogStatus !== 'ACTIVE') out.push(`status ${log.FlowLogStatus ?? 'unknown'}`);
  if (log.TrafficType === 'REJECT') out.push('only rejected traffic (a drain is accepted traffic)');
  const missing = NEEDED_FIELDS.filter((f) => !(log.LogFormat ?? '').includes(f));
  if (missing.length) out.push(`format without ${missing.join(' ')}`);
  if (log.LogDestinationType !== 's3')
    out.push(`delivers to ${log.LogDestinationType ?? '?'}, not S3 (the scan reads S3)`);
  else if (!logBucketNames.includes(bucketOfArn(log.LogDestination) ?? ''))
    out.push(`delivers to ${bucketOfArn(log.LogDestination)}, not a bucket in aws.logBuckets`);
  return out;
}
