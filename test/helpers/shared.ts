/**
 * Access to third-party test data (public CI schemas and their test
 * suites) in the `shared` folder beside the checkout. A user's clone has no
 * such folder, so tests that need it skip with a printed reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SHARED_DIR = path.resolve(
  process.env.GEN_CI_SHARED_DIR ?? path.join(__dirname, '..', '..', '..', 'shared'),
);

export const UPSTREAM_DIR = path.join(SHARED_DIR, 'upstream');

export function sharedAvailable(relative: string): boolean {
  const available = fs.existsSync(path.join(SHARED_DIR, relative));
  if (!available) {
    console.log(
      `skipped: ${path.join(SHARED_DIR, relative)} is absent (third-party test data kept outside the repository)`,
    );
  }
  return available;
}

export function sharedPath(relative: string): string {
  return path.join(SHARED_DIR, relative);
}
