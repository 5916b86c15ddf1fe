import type { LogFormat, SniffHead } from './log-format.ts';

/**
 * Tells the format from the first decoded bytes of a file (a few KB are enough), or undefined: the
 * first format of the table (core/detect/formats/index.ts) whose `sniff` recognizes the head.
 * Single-document JSON (`{"Records"`, `{"records"`) is told by its first key; line formats by the
 * shape of their first line.
 */
export function sniffFormat(head: string, formats: Readonly<Record<string, LogFormat>>): string | undefined {
  const sniffed = sniffHead(head);
  return Object.keys(formats).find((name) => formats[name]?.sniff?.(sniffed));
}

function sniffHead(head: string): SniffHead {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  const firstLine = text.split('\n', 1)[0]?.replace(/\r$/, '') ?? '';
  if (!firstLine.startsWith('{')) return { text, firstLine };
  try {
    const value: unknown = JSON.parse(firstLine);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? { text, firstLine, firstObject: value as Record<string, unknown> }
      : { text, firstLine };
  } catch {
    return { text, firstLine };
  }
}
