import { buildCli } from '../../build/cli-bundle.mjs';

/**
 * The tests spawn bin/tourniquet.js as a user does, and it runs the bundle in dist/cli/: rebuild it
 * from the sources first, so the tests never run a stale bundle (the sources are the truth).
 */
export default async function setup() {
  await buildCli();
}
