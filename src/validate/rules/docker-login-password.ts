import { commandsOf, uniqueLines } from '../lint/docker';
import { dockerArgs } from '../lint/shell';
import type { LintRule } from '../lint/types';

/**
 * Tells whether the arguments pass a password: `-p VALUE`, `-pVALUE`,
 * `-p=VALUE`, `--password VALUE` or `--password=VALUE`.
 */
function passesPassword(args: readonly string[]): boolean {
  return args.some(
    (arg) =>
      arg === '--password' ||
      arg.startsWith('--password=') ||
      (arg.startsWith('-p') && !arg.startsWith('--')),
  );
}

export const dockerLoginPasswordRule: LintRule = {
  id: 'docker-login-password-arg',
  severity: 'error',
  reason:
    'a password on the command line shows in the process list and in traced CI logs, and docker warns that it is insecure',
  cis: ['travis', 'gitlab', 'github'],
  check(context) {
    return commandsOf(uniqueLines(context)).flatMap(({ command, line }) => {
      const args = dockerArgs(command);
      if (!args || args[0] !== 'login' || !passesPassword(args.slice(1))) {
        return [];
      }
      return [
        {
          pointer: line.pointer,
          word: 'login',
          message:
            'docker login gets the password as an argument; pipe it in with --password-stdin, such as printf \'%s\\n\' "$PASSWORD" | docker login --username "$USER" --password-stdin',
        },
      ];
    });
  },
};
