import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors';
import { checkBranchName } from '../src/values';

function codeOf(branch: string): string | undefined {
  try {
    checkBranchName(branch);
  } catch (error) {
    if (error instanceof UsageError) {
      return error.code;
    }
    throw error;
  }
  return undefined;
}

describe('checkBranchName', () => {
  it.each(['main', 'release/1.x', 'feature/a.b', 'v1.2'])(
    'accepts %s',
    (branch) => {
      expect(checkBranchName(branch)).toBe(branch);
    },
  );

  it.each([
    'refs/heads/main',
    'a..b',
    'release/',
    'main.lock',
    'release//1',
    '-main',
    'a b',
  ])('rejects %s', (branch) => {
    expect(codeOf(branch)).toBe('OPTION_INVALID');
  });

  it('names the value and the fix', () => {
    expect(() => checkBranchName('refs/heads/main')).toThrow(
      /"refs\/heads\/main".*such as main/,
    );
  });
});
