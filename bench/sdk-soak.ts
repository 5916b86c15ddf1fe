/**
 * The fault-injection soak over the real executors and SDK clients (test/soak/run-sdk-soak.ts):
 * `npm run bench:soak:sdk` (SOAK_INCIDENTS, SOAK_SEED). Prints the figures; exits 1 when an
 * invariant broke.
 */
import { runSdkSoak } from '../test/soak/run-sdk-soak.ts';

const incidents = Number(process.env.SOAK_INCIDENTS ?? 60);
const seed = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const started = performance.now();
const { problems, ...f } = await runSdkSoak({ seed, incidents });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `sdk soak seed ${seed}: ${f.incidents} incidents (${f.aws} AWS, ${f.azure} Azure) in ${seconds} s`,
);
console.log(
  `  deliveries ${f.deliveries}, releases ${f.releases}, actions ${f.actions}, injected faults ${f.injectedFaults}`,
);
console.log(
  `  lost = ${f.lost}, doubled = ${f.doubled}, inconsistent journals = ${f.inconsistentJournals}, ` +
    `wrong restores = ${f.wrongRestores}, protected touched = ${f.protectedTouched}`,
);
if (problems.length) {
  console.log(problems.slice(0, 20).join('\n'));
  console.log(`replay: SOAK_SEED=${seed} SOAK_INCIDENTS=${incidents} npm run bench:soak:sdk`);
  process.exit(1);
}
