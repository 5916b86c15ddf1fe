import type { Cloud } from '../../core/alert.ts';
import type { ActionResult } from '../../core/executor.ts';
import { runManualCommand } from '../../core/manual.ts';
import { parseManualCommand } from '../../core/manual-command.ts';
import { parseFlags, required, UsageError } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { describeResult } from '../render.ts';
import { cliRuntime } from '../runtime.ts';

const help = `Usage: tourniquet release --incident ID --reason TEXT [--approver NAME] [--cloud aws|azure]
                          [--include-evidence] [--config FILE] [--journal DIR]

Undoes an incident's changes from its journal in the evidence store: restores the bucket policy and
public access block (or storage account and container settings), removes the session-revoking
deny policies, reactivates the keys that were active, recreates removed role assignments. Only
what Tourniquet itself changed is undone. Evidence copies are always kept; legal holds and
versioning stay unless --include-evidence. Running it again changes nothing.

Options:
  --incident ID        the incident id (from the decision, the logs or the journal)
  --reason TEXT        why (required; recorded)
  --approver NAME      who approved (default: $USER)
  --cloud aws|azure    where the incident is (default: from the id, else the configured cloud)
  --include-evidence   also lift legal holds and turn versioning back off where Tourniquet turned it on
  --config FILE        configuration (default: ./tourniquet.config.json; required otherwise)
  --journal DIR        release an exercise: the journal and simulated clouds "tourniquet exercise
                       --out DIR" wrote (a real incident is released from its evidence store)

Exit codes: 0 released (or already released), 1 usage, config, unknown incident or action failure.`;

export const releaseCommand: Command = {
  name: 'release',
  summary: "undo an incident's containment from its journal (idempotent)",
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      incident: { type: 'string' },
      reason: { type: 'string' },
      approver: { type: 'string' },
      cloud: { type: 'string' },
      'include-evidence': { type: 'boolean' },
      config: { type: 'string' },
      journal: { type: 'string' },
    });
    const incidentId = required(values.incident, '--incident', 'the id of the incident to release');
    const reason = required(
      values.reason,
      '--reason',
      'say why you are releasing; it is recorded in the journal',
    );
    const exercise = values.journal !== undefined;
    // An exercise folder was made with the example configuration unless told otherwise.
    const { config } = loadConfigFile(values.config, { allowExample: exercise });
    const cloud = cloudOf(values.cloud, incidentId, config.aws !== undefined);
    const command = parseManualCommand({
      command: 'release',
      incidentId,
      reason,
      approver: values.approver ?? process.env.USER ?? 'unknown',
      includeEvidence: values['include-evidence'] ?? false,
    });
    const onProgress = (r: ActionResult) => io.err(describeResult(r));
    if (values.journal !== undefined) {
      const { runInExercise } = await import('../exercise-folder.ts');
      const result = await runInExercise(values.journal, cloud, config, (runtime) =>
        runManualCommand(command, { ...runtime.deps, onProgress }, runtime.parsers),
      );
      io.out(JSON.stringify(result, null, 2));
      return EXIT.ok;
    }
    const runtime = await cliRuntime(cloud, config);
    const result = await runManualCommand(command, runtime.deps({ onProgress }), runtime.parsers);
    if (result.command === 'release' && result.failure) throw result.failure;
    io.out(JSON.stringify(result, null, 2));
    return EXIT.ok;
  },
};

function cloudOf(flag: string | undefined, incidentId: string, hasAws: boolean): Cloud {
  if (flag === 'aws' || flag === 'azure') return flag;
  if (flag !== undefined) throw new UsageError(`--cloud must be aws or azure, not "${flag}"`);
  if (incidentId.startsWith('aws-')) return 'aws';
  if (incidentId.startsWith('azure-')) return 'azure';
  return hasAws ? 'aws' : 'azure';
}
