import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import type { Read } from '../../../../core/posture/snapshot.ts';
import { awsRead } from '../operations.ts';
import { regions } from '../subjects.ts';

interface Detector {
  Status?: string;
  Features?: { Name?: string; Status?: string }[];
  DataSources?: { S3Logs?: { Status?: string } };
}

/**
 * GuardDuty on, with S3 Protection (feature `S3_DATA_EVENTS`) and AI Protection (`AI_PROTECTION`)
 * where the detector lists that feature (GuardDuty API Reference, DetectorFeatureConfigurationResult).
 */
export const guardDuty: PostureCheck = {
  id: 'aws.guardduty',
  cloud: 'aws',
  title: 'GuardDuty enabled with S3 Protection and AI Protection',
  why: 'the contain function acts on GuardDuty findings: S3 Protection raises Exfiltration:S3/*, AI Protection the anomalous Bedrock invocations',
  severity: 7,
  operations: ['guardduty:ListDetectors', 'guardduty:GetDetector'],
  subjects: regions,
  reads(s, { view }) {
    const reads: Read[] = [awsRead('guardduty:ListDetectors', s.id, {}, s.id)];
    if (view.answer('guardduty:ListDetectors', s.id).kind !== 'ok') return reads;
    for (const id of view.items<string>('guardduty:ListDetectors', s.id, 'DetectorIds'))
      reads.push(awsRead('guardduty:GetDetector', `${s.id}/${id}`, { DetectorId: id }, s.id));
    return reads;
  },
  evaluate(s, { view }) {
    const features =
      '\'[{"Name":"S3_DATA_EVENTS","Status":"ENABLED"},{"Name":"AI_PROTECTION","Status":"ENABLED"}]\'';
    const enable = `aws guardduty create-detector --region ${s.id} --enable --features ${features}`;
    const ids = view.items<string>('guardduty:ListDetectors', s.id, 'DetectorIds');
    if (!ids.length) return fail(`no GuardDuty detector in ${s.id}`, enable);
    const id = ids[0] as string;
    const detector = view.value<Detector>('guardduty:GetDetector', `${s.id}/${id}`);
    if (detector.Status !== 'ENABLED')
      return fail(
        `detector ${id} is ${detector.Status ?? 'not enabled'}`,
        `aws guardduty update-detector --region ${s.id} --detector-id ${id} --enable`,
      );
    const feature = (name: string) => detector.Features?.find((f) => f.Name === name)?.Status;
    const s3 = feature('S3_DATA_EVENTS') ?? detector.DataSources?.S3Logs?.Status;
    const ai = feature('AI_PROTECTION');
    const off = [
      ...(s3 === 'ENABLED' ? [] : ['S3 Protection (no Exfiltration:S3 findings)']),
      ...(ai === undefined || ai === 'ENABLED' ? [] : ['AI Protection (no Bedrock findings)']),
    ];
    if (off.length)
      return fail(
        `detector ${id} is on without ${off.join(' and ')}`,
        `aws guardduty update-detector --region ${s.id} --detector-id ${id} --features ${features}`,
      );
    return pass(
      `detector ${id} enabled with S3 Protection${ai ? ' and AI Protection' : '; it lists no AI Protection feature in this region'}`,
    );
  },
};
