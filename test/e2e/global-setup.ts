/**
 * Runs scripts/e2e-setup.sh before the end-to-end tests where this process
 * may (root on Debian), and stops at the end what that run started. The
 * result of the environment check reaches the tests through `inject('e2e')`.
 */
import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { checkEnvironment, SETUP_SCRIPT, setupProblem } from './environment';
import type { Availability } from './environment';

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: Availability;
  }
}

function runSetup(...args: string[]): number | null {
  const result = spawnSync('bash', [SETUP_SCRIPT, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return result.status;
}

/** The set-up script's exit status for a machine that cannot run it. */
const UNSUPPORTED = 2;

export default function setup(project: TestProject): () => void {
  let problem = setupProblem();
  let startedHere = false;
  if (problem === undefined) {
    // The script reuses a daemon and registry that already run, so only
    // what this run starts is stopped at the end.
    startedHere = runSetup('--status') !== 0;
    const status = runSetup();
    if (status === UNSUPPORTED) {
      problem = 'scripts/e2e-setup.sh cannot run here (reason above)';
    } else if (status !== 0) {
      throw new Error(`scripts/e2e-setup.sh failed with exit status ${status}`);
    }
  } else {
    console.log(`e2e: not running scripts/e2e-setup.sh: ${problem}`);
  }
  const availability = checkEnvironment();
  if (!availability.ok) {
    if (problem === undefined) {
      throw new Error(
        `e2e environment unusable after set-up: ${availability.reason}`,
      );
    }
    console.log(`e2e: skipped: ${availability.reason}`);
  }
  project.provide('e2e', availability);
  return () => {
    if (startedHere) {
      runSetup('--stop');
    }
  };
}
