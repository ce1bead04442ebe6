/**
 * Docker client calls that the tests make themselves, outside the
 * generated pipelines. Every call goes to the set-up's daemon.
 */
import { spawnSync } from 'node:child_process';
import type { E2eEnvironment } from './environment';

export interface CommandResult {
  readonly status: number | null;
  readonly output: string;
}

export function runDocker(
  env: E2eEnvironment,
  args: readonly string[],
  input?: string,
): CommandResult {
  const result = spawnSync(env.docker, args, {
    encoding: 'utf8',
    input,
    env: { ...process.env, DOCKER_HOST: env.dockerHost, DOCKER_BUILDKIT: '1' },
    timeout: 10 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const error = result.error ? `\n${result.error.message}` : '';
  return { status: result.status, output: `${output}${error}` };
}

/** Runs a docker command and throws with its output unless it succeeds. */
export function docker(
  env: E2eEnvironment,
  args: readonly string[],
  input?: string,
): string {
  const result = runDocker(env, args, input);
  if (result.status !== 0) {
    throw new Error(
      `docker ${args.join(' ')} failed with exit status ${result.status}:\n${result.output}`,
    );
  }
  return result.output;
}

/** Lists local image references (`repository:tag`) that match a filter. */
export function listImages(env: E2eEnvironment, reference: string): string[] {
  const output = docker(env, [
    'image',
    'ls',
    '--filter',
    `reference=${reference}`,
    '--format',
    '{{.Repository}}:{{.Tag}}',
  ]);
  return output
    .split('\n')
    .filter((line) => line !== '' && !line.endsWith(':<none>'));
}

export function removeImages(
  env: E2eEnvironment,
  references: readonly string[],
) {
  if (references.length > 0) {
    docker(env, ['image', 'rm', '--force', ...references]);
  }
}
