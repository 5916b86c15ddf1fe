import type { CloudPack } from '../../core/cloud-pack.ts';
import { awsFormats } from './formats/index.ts';
import { awsResponderPack } from './responder.ts';

/**
 * Everything AWS contributes to the engine (core/cloud-pack.ts). Principals are IAM users and roles
 * by path-less ARN; alerts from a configured account are in scope. The same pack as responder.ts,
 * with the log formats the scan reads.
 */
export const awsPack: CloudPack = { ...awsResponderPack, formats: awsFormats };
