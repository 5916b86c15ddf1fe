import { describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../core/journal.ts';
import { linkedIncidents } from '../../core/report/linked.ts';
import { placeOf } from '../../core/report/member-states.ts';
import { exfiltrationAlert, role, user } from '../support/alerts.ts';

const record = (incidentId: string, createdAt: string, alert: IncidentRecord['alert']): IncidentRecord => ({
  incidentId,
  createdAt,
  trigger: { kind: 'alert' },
  alert,
  decision: { decision: 'contain', reason: '', mode: 'enforce', alert: null, actions: [] },
});

describe('linked incidents', () => {
  const mine = record('aws-1', '2026-11-25T10:00:00.000Z', exfiltrationAlert());

  it('links incidents that share the actor, newest first, and says what they share', () => {
    const sameActor = record(
      'aws-2',
      '2026-11-26T09:00:00.000Z',
      exfiltrationAlert({ id: 'x', resources: [] }),
    );
    const older = record('aws-0', '2026-11-20T09:00:00.000Z', exfiltrationAlert({ id: 'y', resources: [] }));
    const other = record(
      'aws-3',
      '2026-11-26T10:00:00.000Z',
      exfiltrationAlert({ principal: user('bob'), resources: [] }),
    );

    const linked = linkedIncidents(mine, [older, other, sameActor, mine]);

    expect(linked.map((l) => l.incidentId)).toEqual(['aws-2', 'aws-0']);
    expect(linked[0]?.shared).toContain('actor arn:aws:iam::111122223333:role/etl-job');
  });

  it('links an Azure incident about the same weights file across clouds, and not one about a generic name', () => {
    const azure = (name: string) =>
      record('azure-1', '2026-11-25T11:00:00.000Z', {
        ...exfiltrationAlert({ principal: null }),
        cloud: 'azure',
        resources: [
          { kind: 'blob', id: `https://stweights.blob.core.windows.net/model-weights/checkpoints/${name}` },
        ],
      });
    expect(linkedIncidents(mine, [azure('model-00001.safetensors')])).toEqual([
      {
        incidentId: 'azure-1',
        cloud: 'azure',
        createdAt: '2026-11-25T11:00:00.000Z',
        shared: ['artifact file model-00001.safetensors'],
      },
    ]);
    expect(linkedIncidents(mine, [azure('config')])).toEqual([]);
  });

  it('does not link on nothing shared', () => {
    const unrelated = record(
      'aws-9',
      '2026-11-25T12:00:00.000Z',
      exfiltrationAlert({
        principal: role('other'),
        resources: [{ kind: 'bucket', id: 'arn:aws:s3:::other' }],
      }),
    );
    expect(linkedIncidents(mine, [unrelated])).toEqual([]);
  });
});

describe('regions → member states', () => {
  it.each([
    ['eu-central-1', 'DE', true],
    ['eu-west-2', 'GB', false],
    ['germanywestcentral', 'DE', true],
    ['West Europe', 'NL', true],
    ['norwayeast', 'NO', true],
    ['us-east-1', 'US', false],
  ])('%s is in %s (EU/EEA: %s)', (region, country, eea) => {
    expect(placeOf(region)).toMatchObject({ country, eea });
  });

  it('reports an unknown region as unknown, never a guess', () => {
    expect(placeOf('mars-north-1')).toEqual({ region: 'mars-north-1', country: null, eea: null, name: null });
  });
});
