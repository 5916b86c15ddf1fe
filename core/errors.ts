/**
 * Base of every error Tourniquet raises on purpose; anything else is a bug or a vendor error.
 * Pass what caused it as `{ cause }`, so logs and debuggers keep the vendor's own error.
 */
export class TourniquetError extends Error {
  override name = 'TourniquetError';
}

/** The configuration is missing or invalid: nothing may run (fail closed). */
export class ConfigError extends TourniquetError {
  override name = 'ConfigError';
  readonly problems: string[];
  constructor(message: string, problems: string[] = [], options?: ErrorOptions) {
    super(problems.length ? `${message}:\n  - ${problems.join('\n  - ')}` : message, options);
    this.problems = problems;
  }
}

/** The input event or command was rejected: malformed, forged, out of partition. No action follows. */
export class RejectedInputError extends TourniquetError {
  override name = 'RejectedInputError';
}

/**
 * A by-hand `contain` named an incident id that is taken: released, or holding another plan. Running
 * it would do nothing (released) or the old plan (another target): the person must choose a new id.
 */
export class IncidentExistsError extends RejectedInputError {
  override name = 'IncidentExistsError';
}

/**
 * A failure worth retrying (throttling, 5xx, a concurrent writer). Adapters translate vendor errors
 * into this at their boundary; the core retries it with backoff.
 */
export class TransientError extends TourniquetError {
  override name = 'TransientError';
}

/** An action failed in a way retrying will not fix (access denied, quota); carries a hint for humans. */
export class ActionError extends TourniquetError {
  override name = 'ActionError';
}

export interface ActionFailure {
  actionId: string;
  kind: string;
  target: string;
  error: string;
}

/** Raised after a plan ran with failures, so the platform retries or dead-letters the event. */
export class ContainmentFailedError extends TourniquetError {
  override name = 'ContainmentFailedError';
  readonly incidentId: string;
  readonly failures: ActionFailure[];
  constructor(incidentId: string, failures: ActionFailure[]) {
    super(
      `incident ${incidentId}: ${failures.length} action(s) failed: ` +
        failures.map((f) => `${f.actionId} ${f.kind} ${f.target}: ${f.error}`).join('; '),
    );
    this.incidentId = incidentId;
    this.failures = failures;
  }
}

/** Another invocation holds this incident's actions and has not finished yet: retry later. */
export class IncidentInProgressError extends TourniquetError {
  override name = 'IncidentInProgressError';
}

export class IncidentNotFoundError extends TourniquetError {
  override name = 'IncidentNotFoundError';
}

/** Text of any thrown value for logs and journals: never the whole object (it may hold secrets). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
