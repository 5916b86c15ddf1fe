// Runs `tourniquet scan` as the CLI entry point will (cli/main.ts maps usage and config errors to 1).
import { scanCommand } from '../../cli/commands/scan.ts';
import { ConfigError } from '../../core/errors.ts';

try {
  process.exitCode = await scanCommand.run(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    interactive: false,
  });
} catch (error) {
  process.stderr.write(`tourniquet scan: ${(error as Error).message}\n`);
  process.exitCode = error instanceof ConfigError || (error as Error).name === 'UsageError' ? 1 : 3;
}
