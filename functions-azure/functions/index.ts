import { getAzureRuntime } from '../wiring.ts';
import { registerFunctions } from './register.ts';
// The log scanner (tourniquet-scan) and the posture and grant timers register themselves; their
// SDKs load on their first invocation.
import './posture.ts';
import './scan.ts';

/**
 * The Azure Functions entry point (package.json `main` of the deployed app points at its bundle).
 * Nothing is read at load time: configuration and clients are built on the first invocation, so
 * an invalid configuration fails that invocation closed with its reason instead of the whole host.
 */
registerFunctions(() => getAzureRuntime());
