import { didYouMean } from '../core/did-you-mean.ts';
import { UsageError } from './args.ts';
import type { Io } from './command.ts';
import { painter, type Tone } from './style.ts';
import { type Cell, renderTable, renderText, type Table } from './table.ts';

export const OUTPUT_FORMATS = ['json', 'table', 'text'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const OUTPUT_HELP = `  -o, --output FORMAT  json, table or text (tab-separated, for scripts); default: table on a
                       terminal, json otherwise`;

/**
 * `--output`, or the default: a table when stdout is a terminal, JSON when it is a pipe or a file
 * (what scripts read, byte for byte as before the option existed). `--json` is kept as a synonym.
 */
export function outputFormat(values: { output?: string | undefined; json?: boolean | undefined }, io: Io) {
  const chosen = values.output ?? (values.json ? 'json' : undefined);
  if (chosen === undefined) return io.terminal?.out ? 'table' : 'json';
  if ((OUTPUT_FORMATS as readonly string[]).includes(chosen)) return chosen as OutputFormat;
  const guess = didYouMean(chosen, OUTPUT_FORMATS);
  throw new UsageError(
    `--output ${chosen}: use json, table or text${guess ? ` (did you mean ${guess}?)` : ''}`,
  );
}

/** What a command says when it is done: whether anything changed, who was told, what to run next. */
export interface Summary {
  headline: string;
  tone: Tone;
  lines?: string[];
  next?: string[];
}

/**
 * A block of a person's view: lines (cells joined by spaces) and a table. `record` says what the
 * lines say, as one tab-separated row for text output (`DECISION\tcontain\t<id>…`).
 */
export interface Section {
  lines?: (readonly Cell[])[];
  record?: Table;
  table?: Table;
}

/** A command's result in every output format. */
export interface View {
  /**
   * Exactly what `--output json` prints: the contract other tools read. Absent when the command
   * streamed its JSON already (scan's JSON lines).
   */
  json?: string;
  sections: readonly Section[];
  summary?: Summary;
}

/**
 * Prints a view. JSON and text go to stdout alone, so pipes get only data; the summary then goes
 * to stderr. A table is for a person: the summary follows it on stdout.
 */
export function emit(io: Io, format: OutputFormat, view: View): void {
  if (format === 'json') {
    if (view.json !== undefined) io.out(view.json);
  } else if (format === 'text') {
    for (const s of view.sections)
      for (const table of [s.record, s.table]) if (table) for (const line of renderText(table)) io.out(line);
  } else {
    const paint = painter(!!io.color?.out);
    view.sections.forEach((s, i) => {
      if (i > 0) io.out('');
      for (const cells of s.lines ?? []) io.out(cells.map((c) => cellText(c, paint)).join(' '));
      if (s.table?.rows.length) for (const line of renderTable(s.table, paint)) io.out(line);
    });
  }
  if (!view.summary) return;
  const toOut = format === 'table';
  const lines = summaryLines(view.summary, painter(toOut ? !!io.color?.out : !!io.color?.err));
  if (toOut && view.sections.length) io.out('');
  for (const line of lines) (toOut ? io.out : io.err)(line);
}

export function summaryLines(summary: Summary, paint = painter(false)): string[] {
  const next = summary.next ?? [];
  return [
    paint(summary.headline, summary.tone),
    ...(summary.lines ?? []),
    ...next.map((line, i) => {
      const [command = '', comment] = line.split(/ {2,}(?=# )/);
      return `${i === 0 ? 'Next: ' : '      '}${paint(command, 'strong')}${comment ? `   ${paint(comment, 'dim')}` : ''}`;
    }),
  ];
}

function cellText(cell: Cell, paint: ReturnType<typeof painter>): string {
  return typeof cell === 'string' ? cell : paint(cell.text, cell.tone);
}

/** A shell word for a "next command" line: quoted when it holds anything a shell would split. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
