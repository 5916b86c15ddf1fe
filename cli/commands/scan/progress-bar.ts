import type { Io } from '../../command.ts';

/**
 * A hand-written bar on stderr (a dependency is not worth 20 lines): only on a terminal, only
 * for inputs over 8 MB, redrawn at most ten times a second.
 */
export function progressBar(io: Io, total: number) {
  const on = io.interactive && total > 8 * 1024 * 1024;
  let last = 0;
  return {
    update(bytes: number, label: string) {
      const now = Date.now();
      if (!on || now - last < 100) return;
      last = now;
      const share = Math.min(1, bytes / total);
      const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
      process.stderr.write(
        `\r[${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${(bytes / 1e6).toFixed(0)}/${(total / 1e6).toFixed(0)} MB ${label}`.slice(
          0,
          160,
        ),
      );
    },
    clear() {
      if (on) process.stderr.write('\r\x1b[2K');
    },
  };
}
