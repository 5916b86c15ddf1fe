import { didYouMean } from '../core/did-you-mean.ts';
import {
  ConfigError,
  ContainmentFailedError,
  describeError,
  IncidentInProgressError,
  IncidentNotFoundError,
  RejectedInputError,
} from '../core/errors.ts';
import { UsageError } from './args.ts';
import { CloudAccessError, cloudAccessProblem } from './cloud-access.ts';
import { type Command, EXIT, type Io } from './command.ts';
import { commands } from './commands/index.ts';
import { EXIT_MEANINGS, type ExitName, exitCodesHelp } from './exit-codes.ts';
import { OUTPUT_HELP } from './output.ts';
import { packageVersion } from './package-root.ts';
import { colorFor } from './style.ts';

const usage = () => `Usage: tourniquet <command> [options]

Contains IP leaks from LLM deployments on AWS and Azure: revokes the leaking principal, pins the
objects as evidence and quarantines the store, the same way on both clouds.

Commands:
${commands.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join('\n')}

Run "tourniquet <command> --help" for a command's options; "tourniquet --version" for the version.

${exitCodesHelp(Object.keys(EXIT_MEANINGS) as ExitName[])}`;

/** A command's whole --help: its own text, the options every command has, its exit codes. */
export function fullHelp(command: Command): string {
  return `${command.help}

Common options:
${OUTPUT_HELP}
  -h, --help           this text

${exitCodesHelp(command.exits)}`;
}

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    io.err(usage());
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`tourniquet ${await packageVersion()} (Node ${process.versions.node})`);
    return EXIT.ok;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    const guess = didYouMean(
      name.replace(/^-+/, ''),
      commands.map((c) => c.name),
    );
    io.err(`unknown command "${name}"${guess ? `: did you mean "${guess}"?` : ''}\n\n${usage()}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(fullHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return failed(name, command, error, io);
  }
}

/** One clear message per kind of failure, and the exit code every command gives it. */
function failed(name: string, command: Command, error: unknown, io: Io): number {
  const say = (text: string) => io.err(`tourniquet ${name}: ${text}`);
  if (error instanceof UsageError) {
    const synopsis = command.help.split('\n\n')[0];
    say(`${error.message}\n\n${synopsis}\nRun "tourniquet ${name} --help" for every option.`);
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    say(`${error.message}\nFix the configuration file; nothing was changed.`);
    return EXIT.usage;
  }
  if (error instanceof IncidentNotFoundError) {
    say(error.message);
    return EXIT.usage;
  }
  if (error instanceof RejectedInputError) {
    say(`input rejected: ${error.message}`);
    return EXIT.rejected;
  }
  const access = error instanceof CloudAccessError ? error.message : cloudAccessProblem(error);
  if (access) {
    say(access);
    return EXIT.credentials;
  }
  if (error instanceof ContainmentFailedError || error instanceof IncidentInProgressError) {
    say(`${error.message}\nRun the same command again to finish: nothing that succeeded is repeated.`);
    return EXIT.incomplete;
  }
  say(describeError(error));
  if (process.env.TOURNIQUET_DEBUG) io.err(String((error as Error).stack));
  return EXIT.usage;
}

/** The process entry (bin/tourniquet.js): real stdout/stderr, exit code set, never a stack trace. */
export async function runCli(): Promise<void> {
  // On Node 20 the AWS SDK warns that its 2027 versions will need Node 22; the versions locked here
  // run on 20, and a responder's terminal should carry only Tourniquet's lines (README, Node 20).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const io: Io = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    interactive: !!process.stderr.isTTY,
    terminal: { out: !!process.stdout.isTTY, err: !!process.stderr.isTTY },
    color: { out: colorFor(process.stdout), err: colorFor(process.stderr) },
  };
  // `tourniquet scan … | head` closes stdout early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2), io);
}
