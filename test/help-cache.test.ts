/**
 * gen-ci stops yargs from formatting help text after each named command,
 * through yargs's internal usage object. These tests fail when a yargs
 * version moves that object, so the saving is not lost without notice.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Argv } from 'yargs';
import yargs from 'yargs/yargs';
import { skipHelpCache } from '../src/cli';

interface UsageInstance {
  help(): string;
}

function usageOf(parser: Argv): UsageInstance {
  const internals = parser as unknown as {
    getInternalMethods(): { getUsageInstance(): UsageInstance };
  };
  return internals.getInternalMethods().getUsageInstance();
}

function parserWithCommand(): Argv {
  return yargs([])
    .command('run', 'a named command', (builder) => builder, () => undefined)
    .exitProcess(false);
}

describe('help cache of yargs', () => {
  it('formats help after a named command by default', async () => {
    const parser = parserWithCommand();
    const help = vi.spyOn(usageOf(parser), 'help');
    await parser.parseAsync(['run']);
    expect(help).toHaveBeenCalled();
  });

  it('formats no help once skipped', async () => {
    const parser = parserWithCommand();
    const help = vi.spyOn(usageOf(parser), 'help');
    skipHelpCache(parser);
    await parser.parseAsync(['run']);
    expect(help).not.toHaveBeenCalled();
  });
});
