import { existsSync } from 'node:fs';
import { TourniquetError } from '../core/errors.ts';

/** The flags FACTS.md gives for Debian's Chromium headless, without a sandbox or network chatter. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export class NoBrowserError extends TourniquetError {
  override name = 'NoBrowserError';
}

/** The Chromium to drive: `TOURNIQUET_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.TOURNIQUET_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new NoBrowserError(
      `no Chromium at ${path}: install it (Debian/Ubuntu: apt-get install -y chromium) or set TOURNIQUET_CHROMIUM ` +
        'to a Chromium or Chrome binary; or use --format html and print that page from any browser',
    );
  }
  return path;
}

/**
 * Prints an HTML pack to PDF with the system Chromium through playwright-core (which downloads no
 * browser). The page has no script and loads nothing, so what prints is exactly the HTML.
 */
export async function printPdf(html: string): Promise<Buffer> {
  const executablePath = chromiumPath();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } finally {
    await browser.close();
  }
}
