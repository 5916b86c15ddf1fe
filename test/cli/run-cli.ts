import { spawnSync } from 'node:child_process';
import { main } from '../../cli/main.ts';

/** Runs the real bin with the project's Node 22 (vitest's own process.execPath), no cloud credentials. */
export function tourniquet(...args: string[]) {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const r = spawnSync(process.execPath, ['bin/tourniquet.js', ...args], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The CLI in this process (the same `main` the bin runs), for cases that need no fresh process. */
export async function inProcess(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
