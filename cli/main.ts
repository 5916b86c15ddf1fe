import { ConfigError, describeError, RejectedInputError } from '../core/errors.ts';
import { UsageError } from './args.ts';
import { type Command, EXIT, type Io } from './command.ts';
import { commands } from './commands/index.ts';

const usage = () => `Usage: tourniquet <command> [options]

Contains IP leaks from LLM deployments on AWS and Azure: revokes the leaking principal, pins the
objects as evidence and quarantines the store, the same way on both clouds.

Commands:
${commands.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join('\n')}

Run "tourniquet <command> --help" for a command's options.`;

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`tourniquet ${name}: ${error.message}\n\n${command.help}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      io.err(`tourniquet ${name}: ${error.message}\nFix the configuration file; nothing was changed.`);
      return EXIT.usage;
    }
    if (error instanceof RejectedInputError) {
      io.err(`tourniquet ${name}: input rejected: ${error.message}`);
      return EXIT.rejected;
    }
    io.err(`tourniquet ${name}: ${describeError(error)}`);
    if (process.env.TOURNIQUET_DEBUG) io.err(String((error as Error).stack));
    return EXIT.usage;
  }
}

/** The process entry (bin/tourniquet.js): real stdout/stderr, exit code set, never a stack trace. */
export async function runCli(): Promise<void> {
  const io: Io = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    interactive: !!process.stderr.isTTY,
  };
  // `tourniquet scan … | head` closes stdout early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2), io);
}
