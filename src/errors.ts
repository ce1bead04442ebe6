/**
 * Error values shared by the core and the command line.
 *
 * A `UsageError` is the user's to fix (bad flag, unknown architecture,
 * invalid image reference) and exits with code 2. A `CheckFailure` means a
 * check or validation found problems and exits with code 1. Anything else
 * that escapes is a bug in gen-ci.
 */

export type ErrorCode =
  | 'ARCH_UNKNOWN'
  | 'ARCH_AMBIGUOUS'
  | 'ARCH_VARIANT'
  | 'ARCH_EMPTY'
  | 'ARCH_DUPLICATE'
  | 'CI_UNKNOWN'
  | 'IMAGE_INVALID'
  | 'BASE_INVALID'
  | 'BASE_ARCH_MISSING'
  | 'BUILD_ARG_INVALID'
  | 'VALUE_UNSAFE'
  | 'OPTION_INVALID'
  | 'DOCKERFILE_MISSING'
  | 'DOCKERFILE_INVALID'
  | 'FILE_UNREADABLE'
  | 'OUTPUT_CONFLICT'
  | 'OUTPUT_UNWRITABLE'
  | 'OUTPUT_INVALID'
  | 'CONFIG_INVALID'
  | 'CONFIG_UNKNOWN_KEY'
  | 'CONFIG_NOT_FOUND'
  | 'TEMPLATE_INVALID'
  | 'CI_UNDETECTED'
  | 'CI_FILES_MISSING'
  | 'SCHEMA_INVALID'
  | 'SCHEMA_DOWNLOAD_FAILED'
  | 'CHECK_FAILED';

/** An error in the user's input: exit code 2, printed without a stack. */
export class UsageError extends Error {
  readonly exitCode = 2;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A check that found problems: exit code 1, printed without a stack. */
export class CheckFailure extends Error {
  readonly exitCode = 1;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CheckFailure';
  }
}

export type UserFacingError = UsageError | CheckFailure;

export function isUserFacingError(error: unknown): error is UserFacingError {
  return error instanceof UsageError || error instanceof CheckFailure;
}
