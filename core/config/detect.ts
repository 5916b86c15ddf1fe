import * as z from 'zod/mini';
import { CONFIDENCES } from '../detect/combinations.ts';
import { DETECTOR_IDS, DETECTOR_MODES } from '../detect/modes.ts';
import { manifestEntrySchema, thresholdsSchema } from '../detect/thresholds.ts';

/** A known reader: who (a principal pattern) and, optionally, the only networks it reads from. */
const knownReader = z.union([
  z.string(),
  z.strictObject({
    principal: z.string().check(z.minLength(1)),
    /** CIDRs or VPC endpoint ids; empty: `detect.expectedNetworks`. */
    networks: z._default(z.array(z.string()), []),
  }),
]);

/** The `detect` section. */
export const detect = z.strictObject({
  /** Profiles that seed the baselines: a string is a profile with no networks of its own. */
  knownReaders: z._default(z.array(knownReader), []),
  /**
   * Per detector: `off` (not run), `audit` (records what it would do, acts on nothing), `alert`
   * (escalates, never contains), `contain`. A detector with no mode here is in `audit`.
   */
  modes: z._default(z.partialRecord(z.enum(DETECTOR_IDS), z.enum(DETECTOR_MODES)), {}),
  /** Findings below this confidence are signals only: no alert line, nothing handed to decide. */
  minConfidence: z._default(z.enum(CONFIDENCES), 'medium'),
  expectedNetworks: z._default(z.array(z.string()), []),
  inferenceEndpoints: z._default(z.array(z.string()), []),
  canaryTokens: z._default(z.array(z.string().check(z.minLength(8))), []),
  /** Per-detector thresholds and severities, each with a documented default (docs/detection.md). */
  thresholds: z.prefault(thresholdsSchema, {}),
  /** Callers whose high inference request rate is normal (the serving fleet); other rules still apply. */
  knownCallers: z._default(z.array(z.string()), []),
  /** Approved model artifacts and their checksums (artifact integrity and copies). */
  manifest: z._default(z.array(manifestEntrySchema), []),
  /**
   * Per-actor windows one rule holds open while scanning a file; beyond it the oldest spill to the
   * window store early (no count lost). Bounds the scan's memory whatever the number of actors.
   */
  maxStateEntries: z._default(z.int().check(z.minimum(16), z.maximum(10_000_000)), 5000),
  /**
   * Whether a detector finding that revokes its actor also quarantines the store when workloads
   * (`knownReaders`) read it: `spare-workloads` leaves that quarantine to humans (the workloads keep
   * running), `always` quarantines as for a cloud alert.
   */
  quarantine: z._default(z.enum(['spare-workloads', 'always']), 'spare-workloads'),
});
