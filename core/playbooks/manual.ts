import type { Playbook } from './playbook.ts';

/** By-hand containment (`tourniquet contain --principal …`, the manual handlers): everything. */
export const manualPlaybooks: readonly Playbook[] = [
  {
    id: 'manual',
    description: 'Containment requested by a responder with an approver and a reason',
    sources: ['manual'],
    types: ['*'],
    intents: ['revoke-principal', 'contain-resources', 'preserve-evidence', 'copy-evidence', 'escalate'],
    onResponder: 'escalate',
  },
];
