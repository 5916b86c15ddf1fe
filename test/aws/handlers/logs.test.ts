import { afterEach, describe, expect, it, vi } from 'vitest';
import { containHandler } from '../../../functions-aws/handlers/contain.ts';
import { logger } from '../../../functions-aws/logger.ts';
import { context, event, lambdaWorld } from './world.ts';

let world: ReturnType<typeof lambdaWorld>;
afterEach(() => {
  world.restore();
  logger.setLogLevel('SILENT');
  vi.restoreAllMocks();
});

describe('contain handler logs', () => {
  it('writes one JSON line per alert, correlated by incident id, with outcomes and no policy bodies', async () => {
    world = lambdaWorld();
    logger.setLogLevel('INFO');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const [result] = await containHandler(event('examples/events/guardduty-s3-exfiltration.json'), context);
    const entries = lines
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const decision = entries.find((e) => e.message === 'decision: contain');
    expect(decision).toMatchObject({
      level: 'INFO',
      service: 'tourniquet',
      incidentId: result?.incidentId,
      playbook: 'aws-s3-exfiltration',
      actions: expect.arrayContaining([
        expect.objectContaining({ kind: 'quarantine-bucket', outcome: 'applied' }),
      ]),
    });
    const text = lines.join('');
    expect(text).not.toContain('TokenIssueTime');
    expect(text).not.toContain('ArnNotLike');
  });
});
