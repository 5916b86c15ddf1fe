/** Pads an attempt or sequence number for a key, so keys sort in order. */
export const pad = (n: number) => String(n).padStart(3, '0');

/** Where an incident's journal lives in the store: everything under it is chained and sealed. */
export const journalRoot = (incidentId: string) => `incidents/${incidentId}/journal/`;

export const ENTRY_KEY = /^(contain|release)\/([^/]+)\/(\d+)-(before|after|job)\.json$/;
export const REQUEST_KEY = /^release\/request-(\d+)\.json$/;
export const SEAL_KEY = /^seals\/(\d+)\.json$/;
