import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs (Powertools), one per cold start. Every line about an incident carries
 * `incidentId`; nothing logs credentials, policies' secrets or object contents.
 */
export const logger = new Logger({ serviceName: 'tourniquet' });
