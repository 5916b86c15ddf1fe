import { spawnSync } from 'node:child_process';
import { main } from '../../cli/main.ts';

/** No cloud credentials reach the CLI under test, whatever the machine has. */
export const NO_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AZURE_CLIENT_ID: '',
  AZURE_TENANT_ID: '',
  AZURE_CLIENT_SECRET: '',
  IDENTITY_ENDPOINT: '',
  MSI_ENDPOINT: '',
  NO_COLOR: '',
};

/** A grant of two hours to a pipeline role on the example's models-prod, for the grant cases. */
export const GRANT_ARGS = [
  '--principal',
  'arn:aws:iam::111122223333:role/deploy-pipeline',
  '--asset',
  'models-prod',
  '--for',
  '2h',
  '--reason',
  'release',
];

export interface RunOptions {
  env?: Record<string, string>;
  /** The Node that runs the bin (default: vitest's own, the project's Node 22). */
  node?: string;
  input?: string;
}

/** Runs the real bin off a terminal (stdout and stderr are pipes), no cloud credentials. */
export function tourniquet(...args: (string | RunOptions)[]) {
  const options = (args.find((a) => typeof a === 'object') ?? {}) as RunOptions;
  const argv = args.filter((a): a is string => typeof a === 'string');
  const r = spawnSync(options.node ?? process.execPath, ['bin/tourniquet.js', ...argv], {
    encoding: 'utf8',
    env: { ...process.env, ...NO_CREDENTIALS, ...options.env },
    timeout: 60_000,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * Runs the real bin on a pseudo-terminal (util-linux `script`), as a responder at a shell: stdout
 * and stderr are both the terminal, so `out` holds both, with line ends as the terminal has them.
 */
export function onTerminal(args: string[], env: Record<string, string> = {}) {
  const command = [process.execPath, 'bin/tourniquet.js', ...args].map(quote).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    encoding: 'utf8',
    env: { ...process.env, ...NO_CREDENTIALS, TERM: 'xterm-256color', ...env },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout.replace(/\r\n/g, '\n') };
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** The start of a terminal colour escape (ESC [). */
export const ESC = `${String.fromCharCode(27)}[`;

/** Terminal colour escapes removed: what a person reads. */
export const plain = (text: string) =>
  text
    .split(ESC)
    .map((part, i) => (i ? part.replace(/^[0-9;]*m/, '') : part))
    .join('');

/** The CLI in this process (the same `main` the bin runs), for cases that need no fresh process. */
export async function inProcess(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
