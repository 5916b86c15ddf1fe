import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endpointMatcher } from '../../core/detect/endpoints.ts';
import type { FlowRecord } from '../../core/detect/records.ts';

// The matcher's per-interface and per-IPv6-address answers sit in LRUs: with a bound of one or two
// entries it must answer every flow as a matcher made afresh for that flow (no cache at all) does.

const NIC = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic-1';
const ENTRIES = ['eni-0aa', NIC, '10.1.0.0/16', '10.2.3.4', '2001:db8:1::/48'];
const EXPECTED = ['198.51.100.0/24'];

const flow = fc
  .record({
    interfaceId: fc.option(
      fc.constantFrom(
        'eni-0aa',
        'ENI-0AA',
        'eni-0bb',
        NIC,
        `${NIC}/ipConfigurations/c1`,
        NIC.toUpperCase(),
        'nic-9',
      ),
      { nil: undefined },
    ),
    src: fc.constantFrom('10.1.2.3', '10.2.3.4', '10.9.0.1', '2001:db8:1::5', '2001:db8:2::5', '203.0.113.9'),
    dst: fc.constantFrom('198.51.100.7', '203.0.113.9', '10.1.9.9', '2001:db8:1::7', '2001:db8:9::1'),
    srcPort: fc.constantFrom(443, 50_000),
    dstPort: fc.constantFrom(443, 50_000),
    bytes: fc.integer({ min: 0, max: 1e9 }),
    reverseBytes: fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: undefined }),
    direction: fc.constantFrom<FlowRecord['direction']>('ingress', 'egress', undefined),
  })
  .map(
    ({ interfaceId, reverseBytes, direction, ...f }): FlowRecord => ({
      kind: 'flow',
      cloud: 'aws',
      account: '111122223333',
      at: 0,
      protocol: 6,
      ...f,
      ...(interfaceId === undefined ? {} : { interfaceId }),
      ...(reverseBytes === undefined ? {} : { reverseBytes }),
      ...(direction === undefined ? {} : { direction }),
    }),
  );

describe('endpointMatcher caches', () => {
  it('answers as the uncached matcher with a bound of 1 or 2 entries', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2), fc.array(flow, { maxLength: 80 }), (max, flows) => {
        const bounded = endpointMatcher(ENTRIES, EXPECTED, max);
        for (const f of flows)
          expect(bounded.egress(f)).toEqual(endpointMatcher(ENTRIES, EXPECTED).egress(f));
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('keeps finding an interface it forgot', () => {
    const matcher = endpointMatcher(ENTRIES, EXPECTED, 1);
    const out = (interfaceId: string): FlowRecord => ({
      kind: 'flow',
      cloud: 'aws',
      account: '111122223333',
      at: 0,
      interfaceId,
      src: '10.9.0.1',
      dst: '203.0.113.9',
      srcPort: 50_000,
      dstPort: 443,
      protocol: 6,
      bytes: 10,
      direction: 'egress',
    });
    const seen = ['eni-0aa', 'eni-0bb', 'nic-9', 'eni-0aa'].map((i) => matcher.egress(out(i))?.endpoint);
    expect(seen).toEqual(['eni-0aa|10.9.0.1', undefined, undefined, 'eni-0aa|10.9.0.1']);
  });
});
