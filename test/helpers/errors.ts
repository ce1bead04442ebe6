/** Catching the usage errors that a test expects. */
import { resolveConfig, type GenerateOptions } from '../../src/config';
import { UsageError } from '../../src/errors';

/** Runs `run` and returns its UsageError, or fails when it throws none. */
export function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

/** Returns the UsageError that resolving `options` throws. */
export function resolveError(options: GenerateOptions): UsageError {
  return usageErrorOf(() => resolveConfig(options));
}

/** Runs `run` and returns what it throws, or fails when it throws nothing. */
export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
