/** The part of the Lambda context Tourniquet reads. */
export interface LambdaContext {
  awsRequestId: string;
  invokedFunctionArn: string;
  getRemainingTimeInMillis(): number;
}

/** Stop starting work 10 s before Lambda would kill the invocation; a retry may take over after. */
export function deadlineOf(context: Pick<LambdaContext, 'getRemainingTimeInMillis'>, now = Date.now()): Date {
  return new Date(now + Math.max(0, context.getRemainingTimeInMillis() - 10_000));
}
