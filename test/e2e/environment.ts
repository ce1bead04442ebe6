/**
 * The machine that the end-to-end tests need: a Docker daemon, QEMU
 * registered with binfmt_misc, and an image registry on loopback, as
 * scripts/e2e-setup.sh prepares them. The set-up writes the addresses to
 * `<state>/env`, and this module checks that each part responds.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
export const SETUP_SCRIPT = path.join(
  REPOSITORY_ROOT,
  'scripts',
  'e2e-setup.sh',
);
export const STATE_DIR = process.env.GEN_CI_E2E_STATE ?? '/tmp/gen-ci-e2e';
export const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

/** binfmt_misc handlers that the four tested platforms run through. */
export const QEMU_HANDLERS = [
  'qemu-ppc64le',
  'qemu-s390x',
  'qemu-aarch64',
  'qemu-arm',
];

export interface E2eEnvironment {
  readonly stateDir: string;
  /** `unix://…` socket of the daemon that the set-up started. */
  readonly dockerHost: string;
  /** Debian's Docker 20.10 client, which drives the daemon's BuildKit. */
  readonly docker: string;
  /** `127.0.0.1:<port>`, served over plain HTTP. */
  readonly registry: string;
  /** Repository of the per-platform busybox images, tagged by slug. */
  readonly baseRepository: string;
}

export type Availability =
  | { readonly ok: true; readonly env: E2eEnvironment }
  | { readonly ok: false; readonly reason: string };

/** Reads `KEY=VALUE` lines of the set-up's env file. */
function readEnvFile(file: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) {
      values.set(match[1], match[2]);
    }
  }
  return values;
}

function environmentFromFile(stateDir: string): E2eEnvironment | string {
  const file = path.join(stateDir, 'env');
  if (!fs.existsSync(file)) {
    return `${file} is missing: run scripts/e2e-setup.sh as root on Debian 12`;
  }
  const values = readEnvFile(file);
  const env = {
    stateDir,
    dockerHost: values.get('DOCKER_HOST') ?? '',
    docker: values.get('GEN_CI_E2E_DOCKER') ?? '',
    registry: values.get('GEN_CI_E2E_REGISTRY') ?? '',
    baseRepository: values.get('GEN_CI_E2E_BASE_REPOSITORY') ?? '',
  };
  const missing = Object.entries(env).filter(([, value]) => value === '');
  if (missing.length > 0) {
    const keys = missing.map(([key]) => key).join(', ');
    return `${file} lacks ${keys}: run scripts/e2e-setup.sh again`;
  }
  return env;
}

function dockerProblem(env: E2eEnvironment): string | undefined {
  if (!fs.existsSync(env.docker)) {
    return `${env.docker} is missing (Debian's docker.io package)`;
  }
  const result = spawnSync(
    env.docker,
    ['version', '--format', '{{.Server.Version}}'],
    {
      encoding: 'utf8',
      env: { ...process.env, DOCKER_HOST: env.dockerHost },
      timeout: 20_000,
    },
  );
  if (result.status !== 0) {
    const output =
      `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim();
    return `the Docker daemon at ${env.dockerHost} does not respond: ${output}`;
  }
  return undefined;
}

/** Returns why QEMU emulation is unusable, or undefined when it works. */
export function binfmtProblem(): string | undefined {
  if (!fs.existsSync(path.join(BINFMT_DIR, 'status'))) {
    return `binfmt_misc is not mounted at ${BINFMT_DIR}`;
  }
  for (const handler of QEMU_HANDLERS) {
    const file = path.join(BINFMT_DIR, handler);
    if (!fs.existsSync(file)) {
      return `the binfmt_misc handler ${handler} is not registered`;
    }
    if (!/^flags: .*F/m.test(fs.readFileSync(file, 'utf8'))) {
      return `the binfmt_misc handler ${handler} lacks the F (fix-binary) flag`;
    }
  }
  return undefined;
}

function registryProblem(env: E2eEnvironment): string | undefined {
  const url = `http://${env.registry}/v2/`;
  const result = spawnSync('curl', ['-sf', '--max-time', '5', url], {
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    return `the registry at ${url} does not respond (curl exit status ${result.status})`;
  }
  return undefined;
}

/** Checks every part that the tests use, in the order they depend on. */
export function checkEnvironment(stateDir = STATE_DIR): Availability {
  if (process.platform !== 'linux') {
    return { ok: false, reason: `needs Linux, this is ${process.platform}` };
  }
  const env = environmentFromFile(stateDir);
  if (typeof env === 'string') {
    return { ok: false, reason: env };
  }
  const reason = dockerProblem(env) ?? binfmtProblem() ?? registryProblem(env);
  return reason === undefined ? { ok: true, env } : { ok: false, reason };
}

/** Returns why this process cannot run the set-up script, or undefined. */
export function setupProblem(): string | undefined {
  if (process.env.GEN_CI_E2E_SETUP === '0') {
    return 'GEN_CI_E2E_SETUP=0 turns the automatic set-up off';
  }
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    return 'the set-up needs root on Linux';
  }
  if (
    !fs.existsSync('/etc/debian_version') ||
    !fs.existsSync('/usr/bin/apt-get')
  ) {
    return 'the set-up needs Debian with apt-get';
  }
  return undefined;
}
