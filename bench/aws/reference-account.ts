/** The account the bench's incidents happen in, and its evidence bucket. */
export const ACCOUNT = '111122223333';
export const EVIDENCE = `ir-evidence-${ACCOUNT}`;
