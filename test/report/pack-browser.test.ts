/**
 * The HTML evidence pack in a real browser: Debian's Chromium, headless, driven by playwright-core
 * (no browser download). The pack comes from a real response: the example GuardDuty finding
 * contained by the real AWS executors against the simulated cloud, then released.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath } from '../../cli/pdf.ts';
import { parseConfig } from '../../core/config.ts';
import { handleParsedEvent } from '../../core/handle.ts';
import { packOf } from '../../core/incidents.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { release } from '../../core/release.ts';
import { renderHtml } from '../../core/report/html.ts';
import type { EvidencePack } from '../../core/report/pack.ts';
import { parseAwsEvent } from '../../functions-aws/events/index.ts';
import { simulatedRuntime } from '../../sim/runtime.ts';
import { simulatedWorld } from '../../sim/world.ts';

const ARTIFACTS = 'artifacts';
const SECTIONS = [
  'summary',
  'clocks',
  'timeline',
  'measures',
  'exposure',
  'evidence',
  'iocs',
  'regulatory',
  'linked',
  'chain',
];

async function releasedPack(): Promise<EvidencePack> {
  const config = parseConfig(JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8')));
  const event = JSON.parse(readFileSync('examples/events/guardduty-s3-exfiltration.json', 'utf8'));
  const parsed = parseAwsEvent(event);
  const world = simulatedWorld();
  world.seed(config, parsed.kind === 'alerts' ? parsed.alerts : []);
  const store = memoryStore();
  const journal = incidentJournal(store);
  const { deps } = simulatedRuntime('aws', world, config, journal);
  const {
    outcomes: [outcome],
  } = await handleParsedEvent(parsed, deps, { event });
  const incidentId = outcome?.decision.incidentId as string;
  await release({ incidentId, approver: 'dpo', reason: 'tabletop over' }, deps);
  const pack = await packOf(store, journal, incidentId, { config, now: new Date() });
  if (!pack) throw new Error('no pack');
  return pack;
}

let browser: Browser;
let pack: EvidencePack;
beforeAll(async () => {
  [browser, pack] = await Promise.all([
    chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS }),
    releasedPack(),
  ]);
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe('the HTML evidence pack in Chromium', () => {
  it('renders every section and the timeline picture with no console error or request, and prints a PDF', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));

    await page.setContent(renderHtml(pack, { timeZone: 'Europe/Berlin' }), { waitUntil: 'load' });

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    for (const id of SECTIONS) expect(await page.locator(`section#${id} > h2`).isVisible(), id).toBe(true);
    for (const regime of ['gdpr', 'nis2', 'dora'])
      expect(await page.locator(`#regime-${regime} h3`).isVisible()).toBe(true);
    const dots = page.locator('#timeline-chart circle.event');
    expect(await dots.count()).toBe(pack.timeline.length);
    const box = await page.locator('#timeline-chart').boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    const xs = await dots.evaluateAll((els) => els.map((e) => Number(e.getAttribute('cx'))));
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(500);
    expect(await page.locator('#timeline-chart circle[data-kind="release-requested"]').count()).toBe(1);
    expect(await page.locator('#chain-head').textContent()).toBe(pack.chain.head);
    expect(await page.locator('.slot').count()).toBeGreaterThan(5);

    await page.screenshot({ path: `${ARTIFACTS}/evidence-pack.png`, fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(`${ARTIFACTS}/evidence-pack.pdf`, pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    await page.close();
  });
});
