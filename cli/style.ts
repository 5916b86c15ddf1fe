/** How a cell or line should stand out; plain text when colour is off. */
export type Tone = 'good' | 'bad' | 'warn' | 'dim' | 'strong';

const SGR: Record<Tone, [number, number]> = {
  good: [32, 39],
  bad: [31, 39],
  warn: [33, 39],
  dim: [2, 22],
  strong: [1, 22],
};

export type Paint = (text: string, tone?: Tone) => string;

/** ANSI colour when `on` (a terminal without NO_COLOR), else the text unchanged. */
export function painter(on: boolean): Paint {
  if (!on) return (text) => text;
  return (text, tone) => {
    if (!tone || !text) return text;
    const [open, close] = SGR[tone];
    return `\x1b[${open}m${text}\x1b[${close}m`;
  };
}

/** The process's colour settings: only on a terminal, never when NO_COLOR is set and not empty. */
export function colorFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return !!stream.isTTY && !env.NO_COLOR;
}
