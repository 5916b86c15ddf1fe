/**
 * A longer fault-injection soak (test/soak): `npm run bench:soak` (SOAK_INCIDENTS, SOAK_SEED).
 * Prints the figures; exits 1 when an invariant broke.
 */
import { runSoak } from '../test/soak/run-soak.ts';

const incidents = Number(process.env.SOAK_INCIDENTS ?? 2000);
const seed = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const started = performance.now();
const { problems, ...f } = await runSoak({ seed, incidents });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`soak seed ${seed}: ${f.incidents} incidents (${f.aws} AWS, ${f.azure} Azure) in ${seconds} s`);
console.log(`  deliveries ${f.deliveries}, releases ${f.releases}, actions ${f.actions}`);
console.log(`  injected faults ${f.injectedFaults} ${JSON.stringify(f.faults)}`);
console.log(
  `  lost = ${f.lost}, doubled = ${f.doubled}, inconsistent journals = ${f.inconsistentJournals}, ` +
    `wrong restores = ${f.wrongRestores}, protected touched = ${f.protectedTouched}, late changes = ${f.lateChanges}`,
);
if (problems.length) {
  console.log(problems.slice(0, 20).join('\n'));
  console.log(`replay: SOAK_SEED=${seed} SOAK_INCIDENTS=${incidents} npm run bench:soak`);
  process.exit(1);
}
