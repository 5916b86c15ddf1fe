#!/usr/bin/env node
// Node 22.18+ runs the TypeScript sources directly (type stripping): npm and npx put the project's
// Node 22 first on PATH. See README "Requirements".
import { runCli } from '../cli/main.ts';

await runCli();
