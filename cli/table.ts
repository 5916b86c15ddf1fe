import type { Paint, Tone } from './style.ts';

/** A table cell: text, and how it stands out on a terminal. */
export type Cell = string | { text: string; tone?: Tone };

/** Rows of one kind: `name` prefixes each row in text output (`ACTION\ta1\t…`), like the AWS CLI. */
export interface Table {
  name: string;
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
}

const textOf = (cell: Cell | undefined) => (typeof cell === 'string' ? cell : (cell?.text ?? ''));
const toneOf = (cell: Cell | undefined) => (typeof cell === 'string' ? undefined : cell?.tone);
/** Terminal columns a string takes (code points; the marks used here are one column wide). */
const widthOf = (text: string) => [...text].length;

/**
 * Aligned columns for a person: widths from the content, nothing truncated (ARM ids and long action
 * kinds stay whole and copyable), the last column unpadded so a narrow terminal wraps only it.
 */
export function renderTable(table: Table, paint: Paint): string[] {
  const widths = table.columns.map((c, i) =>
    Math.max(widthOf(c), ...table.rows.map((r) => widthOf(textOf(r[i])))),
  );
  const line = (cells: readonly Cell[], header: boolean) =>
    table.columns
      .map((_, i) => {
        const text = textOf(cells[i]);
        const padded =
          i === table.columns.length - 1 ? text : text + ' '.repeat((widths[i] ?? 0) - widthOf(text));
        return paint(padded, header ? 'dim' : toneOf(cells[i]));
      })
      .join('  ')
      .trimEnd();
  return [line(table.columns, true), ...table.rows.map((r) => line(r, false))];
}

/** Tab-separated rows for scripts (`cut`, `awk`): the table's name first, no header, no colour. */
export function renderText(table: Table): string[] {
  return table.rows.map((r) =>
    [table.name, ...table.columns.map((_, i) => textOf(r[i]).replace(/[\t\n]/g, ' '))].join('\t'),
  );
}
