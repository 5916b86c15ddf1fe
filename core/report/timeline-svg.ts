import type { TimelineEvent } from './timeline.ts';

const LANES = ['detection', 'contain', 'release'] as const;
const COLOURS: Record<TimelineEvent['kind'], string> = {
  'first-activity': '#b42318',
  awareness: '#dc6803',
  classification: '#7a5af8',
  before: '#1570ef',
  after: '#039855',
  sealed: '#475467',
  'release-requested': '#c11574',
  report: '#475467',
};

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * The timeline as an inline SVG: one lane for detection (first activity, awareness,
 * classification), one for containment, one for release; time runs left to right, each moment a
 * dot with its label as a tooltip (`<title>`), numbered as in the table. Incidents span
 * milliseconds (the actions) and days (first activity, release) at once, so the gap between two
 * moments is drawn as 1 + log(1 + seconds): order and rough distance stay readable, and the ticks
 * name the real times.
 */
export function timelineSvg(events: readonly TimelineEvent[]): string {
  const width = 960;
  const left = 110;
  const right = 30;
  const laneHeight = 46;
  const top = 20;
  const height = top + LANES.length * laneHeight + 52;
  const times = events.map((e) => Date.parse(e.at));
  const order = [...new Set(times)].sort((a, b) => a - b);
  const offsets = new Map<number, number>();
  let total = 0;
  order.forEach((t, i) => {
    if (i > 0) total += 1 + Math.log1p((t - (order[i - 1] ?? t)) / 1000);
    offsets.set(t, total);
  });
  const x = (t: number) => left + ((offsets.get(t) ?? 0) / (total || 1)) * (width - left - right);
  const min = order[0] ?? 0;
  const max = order.at(-1) ?? min;
  const lane = (e: TimelineEvent) =>
    e.phase === 'release'
      ? 2
      : e.kind === 'first-activity' || e.kind === 'awareness' || e.kind === 'classification'
        ? 0
        : 1;
  const lanes = LANES.map((name, i) => {
    const y = top + i * laneHeight + laneHeight / 2;
    return `<line x1="${left}" y1="${y}" x2="${width - right}" y2="${y}" stroke="#d0d5dd"/><text x="8" y="${y + 4}" font-size="12" fill="#344054">${name}</text>`;
  }).join('');
  const dots = events
    .map((e, i) => {
      const cx = x(Date.parse(e.at)).toFixed(1);
      const cy = top + lane(e) * laneHeight + laneHeight / 2 + ((i % 3) - 1) * 8;
      return `<circle class="event" data-kind="${e.kind}" cx="${cx}" cy="${cy}" r="5" fill="${COLOURS[e.kind]}"><title>${i + 1}. ${esc(e.at)} ${esc(e.label)}</title></circle>`;
    })
    .join('');
  const axisY = top + LANES.length * laneHeight + 8;
  const middle = order[Math.floor(order.length / 2)] ?? min;
  const apart = (a: number, b: number) => Math.abs(x(a) - x(b)) > 170;
  const shown = [
    min,
    ...(apart(middle, min) && apart(middle, max) ? [middle] : []),
    ...(apart(max, min) ? [max] : []),
  ];
  const ticks = shown
    .map((t, i) => {
      const anchor = i === 0 ? 'start' : t === max ? 'end' : 'middle';
      return `<text x="${x(t).toFixed(1)}" y="${axisY + 16}" font-size="11" text-anchor="${anchor}" fill="#475467">${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC</text>`;
    })
    .join('');
  return (
    `<svg id="timeline-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Incident timeline">` +
    `${lanes}<line x1="${left}" y1="${axisY}" x2="${width - right}" y2="${axisY}" stroke="#98a2b3"/>${ticks}` +
    `<text x="${width - right}" y="${axisY + 32}" font-size="10" text-anchor="end" fill="#667085">gaps drawn as 1 + log(1 + seconds); exact times in the table</text>${dots}</svg>`
  );
}

export { esc };
