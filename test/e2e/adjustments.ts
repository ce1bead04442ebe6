/**
 * Everything the end-to-end tests change about the generated steps or
 * their environment, each with the reason the environment forces it.
 * The runner prints every use. All other generated commands run as
 * written, through a `docker` wrapper that only adds the options this
 * environment needs: the emulation check, `docker build --platform`,
 * `docker login`, `docker push`, and Travis CI's `docker manifest
 * create/annotate/push`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { E2eEnvironment } from './environment';
import type { Job } from './pipeline';
import type { StepGuard, Substitution } from './runner';
import { shellQuote } from './runner';
import { findDockerRuns, simpleCommands } from './shell-words';

/** tonistiigi/binfmt `--install` names and the QEMU handlers they add. */
const BINFMT_INSTALL_HANDLERS: Readonly<Record<string, string>> = {
  amd64: 'qemu-x86_64',
  '386': 'qemu-i386',
  arm64: 'qemu-aarch64',
  arm: 'qemu-arm',
  ppc64le: 'qemu-ppc64le',
  s390x: 'qemu-s390x',
  riscv64: 'qemu-riscv64',
  mips64le: 'qemu-mips64el',
  mips64: 'qemu-mips64',
  loong64: 'qemu-loongarch64',
};

const REGISTRATION_REASON =
  "registering QEMU through an emulator image needs a pull from Docker Hub; Debian's qemu-user-static registered the same binfmt_misc handlers (scripts/e2e-setup.sh), so the step checks them instead";

/** Returns the handlers to check; none means every `qemu-*` handler. */
function handlersForInstall(names: string): string[] {
  if (names === 'all') {
    return [];
  }
  return names.split(',').map((name) => {
    const handler = BINFMT_INSTALL_HANDLERS[name];
    if (handler === undefined) {
      throw new Error(`tonistiigi/binfmt --install ${name}: unknown name`);
    }
    return handler;
  });
}

/** Returns the helper call that checks what the registration would do. */
function registrationCheck(command: string): string | undefined {
  if (simpleCommands(command).length !== 1) {
    return undefined;
  }
  const [run] = findDockerRuns(command);
  if (run === undefined) {
    return undefined;
  }
  const repository = run.image.replace(/^docker\.io\//, '').split(':')[0];
  const args = run.command;
  if (repository === 'tonistiigi/binfmt') {
    const install = args[args.indexOf('--install') + 1];
    if (!args.includes('--install') || install === undefined) {
      return undefined;
    }
    const handlers = handlersForInstall(install);
    return ['gen-ci-e2e-expect-binfmt fix-binary', ...handlers].join(' ');
  }
  if (repository === 'multiarch/qemu-user-static') {
    const persistent = /(^| )(-p|--persistent) yes( |$)/.test(args.join(' '));
    return `gen-ci-e2e-expect-binfmt ${persistent ? 'fix-binary' : 'legacy'}`;
  }
  return undefined;
}

export const QEMU_REGISTRATION: Substitution = {
  id: 'qemu-registration',
  reason: REGISTRATION_REASON,
  replace: registrationCheck,
};

/** Returns whether the command runs `uname -m` on the job's own machine. */
function checksHostMachine(command: string): boolean {
  return simpleCommands(command).some(
    (words) => words[0] === 'uname' && words[1] === '-m',
  );
}

/**
 * Makes a native job's hardware check pass on this amd64 machine: for that
 * one step a shell function `uname` prints the `uname -m` of the job's
 * platform (its `PLATFORM` variable), so the generated check and its
 * mapping of architectures still run. The job's builds then run under
 * QEMU like emulated ones.
 */
export function nativeRunnerCheck(
  unameByPlatform: Readonly<Record<string, string>>,
): Substitution {
  return {
    id: 'native-runner',
    reason:
      "this machine has no native runner for foreign architectures, so a native job runs here under QEMU, and its hardware check sees the platform's uname -m from a shell function",
    replace(command: string, job: Job) {
      const machine = unameByPlatform[job.variables.PLATFORM ?? ''];
      if (machine === undefined || !checksHostMachine(command)) {
        return undefined;
      }
      return [
        `uname() { if [ "$*" = -m ]; then echo ${machine}; else command uname "$@"; fi; }`,
        `{ ${command}; }`,
        'e2e_status=$?',
        'unset -f uname',
        '(exit "$e2e_status")',
      ].join('; ');
    },
  };
}

const IMAGETOOLS = 'docker buildx imagetools create ';

/**
 * Rewrites `docker buildx imagetools create --tag LIST SOURCE…` as
 * `docker manifest create` and `push`. Other imagetools options are not
 * understood, so such a command is left as it is (and fails).
 */
function manifestCommands(command: string): string | undefined {
  if (!command.startsWith(IMAGETOOLS) || simpleCommands(command).length !== 1) {
    return undefined;
  }
  const words = command.slice(IMAGETOOLS.length).split(' ').filter(Boolean);
  const tagIndex = words.findIndex((word) => word === '--tag' || word === '-t');
  const tag = words[tagIndex + 1];
  const sources = words.filter(
    (_word, index) => index !== tagIndex && index !== tagIndex + 1,
  );
  if (
    tagIndex === -1 ||
    tag === undefined ||
    sources.some((word) => word.startsWith('-'))
  ) {
    return undefined;
  }
  return `docker manifest create --amend ${tag} ${sources.join(' ')} && docker manifest push --purge ${tag}`;
}

export const BUILDX_IMAGETOOLS: Substitution = {
  id: 'buildx-imagetools',
  reason:
    "Debian 12 packages no docker buildx; docker manifest create takes each source's platform from its image config, as imagetools create does",
  replace: manifestCommands,
};

/**
 * `gen-ci-e2e-expect-binfmt MODE [HANDLER…]`, the substitute of the QEMU
 * registration. It fails unless each handler (default: every `qemu-*`)
 * is registered as MODE needs: `fix-binary` with the F flag, `legacy`
 * without F and with the interpreter in `/usr/bin`, where the legacy
 * Dockerfiles copy it.
 */
const EXPECT_BINFMT = [
  '#!/bin/bash',
  '# Test-only substitute written by test/e2e/adjustments.ts.',
  'mode=$1',
  'shift',
  'status=0',
  'if [ "$#" -eq 0 ]; then',
  '  set -- $(cd /proc/sys/fs/binfmt_misc && ls -d qemu-* 2>/dev/null)',
  'fi',
  'for handler in "$@"; do',
  '  file=/proc/sys/fs/binfmt_misc/$handler',
  '  if [ ! -e "$file" ]; then',
  '    echo "binfmt_misc handler $handler is not registered" >&2',
  '    status=1',
  '    continue',
  '  fi',
  '  flags=$(sed -n "s/^flags: //p" "$file")',
  '  interpreter=$(sed -n "s/^interpreter //p" "$file")',
  '  echo "$handler: interpreter $interpreter, flags ${flags:-none}"',
  '  case "$mode:$flags" in',
  '    fix-binary:*F*) ;;',
  '    fix-binary:*) echo "$handler lacks the F flag" >&2; status=1 ;;',
  '    legacy:*F*) echo "$handler has the F flag, legacy expects none" >&2; status=1 ;;',
  '  esac',
  '  if [ "$mode" = legacy ] && [ "$interpreter" != "/usr/bin/$handler-static" ]; then',
  '    echo "$handler: interpreter is not /usr/bin/$handler-static" >&2',
  '    status=1',
  '  fi',
  'done',
  'exit "$status"',
  '',
].join('\n');

/**
 * Returns a `docker` executable for the front of PATH. It runs Debian's
 * 20.10 client and adds two options that this environment needs:
 * - `--insecure` to `docker manifest create` and `push` that name the
 *   loopback registry, because it serves plain HTTP;
 * - `--network none` to a BuildKit `docker build` without `--network`,
 *   because the daemon has no bridge network (so nothing leaves the
 *   machine) and BuildKit's default network for RUN is the bridge.
 * Each addition is printed to stderr, so it shows in the step's output.
 */
function dockerWrapper(env: E2eEnvironment): string {
  return [
    '#!/bin/bash',
    '# Test-only docker wrapper written by test/e2e/adjustments.ts.',
    `real=${shellQuote(env.docker)}`,
    'names_loopback() {',
    '  local word',
    '  for word in "$@"; do',
    '    case "$word" in 127.0.0.1:*|localhost:*) return 0 ;; esac',
    '  done',
    '  return 1',
    '}',
    'has_option() {',
    '  local option=$1 word',
    '  shift',
    '  for word in "$@"; do',
    '    case "$word" in "$option"|"$option"=*) return 0 ;; esac',
    '  done',
    '  return 1',
    '}',
    'if [ "$1" = manifest ] && { [ "$2" = create ] || [ "$2" = push ]; } &&',
    '  names_loopback "$@" && ! has_option --insecure "$@"; then',
    '  echo "e2e docker wrapper: added --insecure to docker manifest $2 (plain-HTTP loopback registry)" >&2',
    '  set -- manifest "$2" --insecure "${@:3}"',
    'fi',
    'option_value() {',
    '  local option=$1 previous="" word',
    '  shift',
    '  for word in "$@"; do',
    '    case "$word" in "$option"=*) echo "${word#*=}"; return ;; esac',
    '    if [ "$previous" = "$option" ]; then echo "$word"; return; fi',
    '    previous=$word',
    '  done',
    '}',
    'if [ "$1" = pull ]; then',
    '  image=${*: -1}',
    '  wanted=$(option_value --platform "$@")',
    '  found=$("$real" image inspect --format \'{{.Os}}/{{.Architecture}}{{if .Variant}}/{{.Variant}}{{end}}\' "$image" 2>/dev/null) || {',
    '    echo "e2e docker wrapper: $image is not served locally, and the test daemon has no network" >&2; exit 1; }',
    '  if [ -n "$wanted" ] && [ "$found" != "$wanted" ]; then',
    '    echo "e2e docker wrapper: $image is served locally for $found, not $wanted" >&2; exit 1',
    '  fi',
    '  echo "e2e docker wrapper: $image is served locally for $found; no pull" >&2',
    '  exit 0',
    'fi',
    'if [ "$1" = build ] && [ "${DOCKER_BUILDKIT:-}" = 1 ] &&',
    '  ! has_option --network "$@"; then',
    '  echo "e2e docker wrapper: added --network none to docker build (the test daemon has no bridge network)" >&2',
    '  set -- build --network none "${@:2}"',
    'fi',
    'exec "$real" "$@"',
    '',
  ].join('\n');
}

export const WRAPPER_NOTES = [
  'docker on PATH: a wrapper that runs Debian\'s 20.10 client, adds --insecure to "docker manifest create/push" for the plain-HTTP loopback registry, adds --network none to BuildKit builds because the test daemon has no bridge network, and answers "docker pull" from the local images, failing unless the image is there for the requested --platform',
];

/**
 * Writes the docker wrapper and the substitutes' helper into `<folder>/bin`
 * and returns that folder, which goes first on the jobs' PATH.
 */
export function writeShellTools(env: E2eEnvironment, folder: string): string {
  const binDir = path.join(folder, 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  fs.writeFileSync(path.join(binDir, 'docker'), dockerWrapper(env), {
    mode: 0o755,
  });
  fs.writeFileSync(
    path.join(binDir, 'gen-ci-e2e-expect-binfmt'),
    EXPECT_BINFMT,
    { mode: 0o755 },
  );
  return binDir;
}

/** Returns the RUN instructions that a build took from its cache. */
export function cachedRunSteps(output: string): string[] {
  const cached: string[] = [];
  // BuildKit: "#7 [2/2] RUN …" and later "#7 CACHED".
  const runs = new Map<string, string>();
  for (const match of output.matchAll(/^#(\d+) \[[^\]]*\] (RUN .*)$/gm)) {
    runs.set(match[1], match[2]);
  }
  for (const match of output.matchAll(/^#(\d+) CACHED$/gm)) {
    const run = runs.get(match[1]);
    if (run) {
      cached.push(run);
    }
  }
  // Legacy builder: "Step 4/5 : RUN …" followed by " ---> Using cache".
  for (const match of output.matchAll(
    /^Step \d+\/\d+ : (RUN .*)\n ---> Using cache$/gm,
  )) {
    cached.push(match[1]);
  }
  return cached;
}

/**
 * Fails a build step that took a RUN from the cache: such a build proves
 * nothing about emulation. The daemon is reset before each job, so this
 * only fires when that reset stops working.
 */
export const NO_CACHED_RUN: StepGuard = {
  check(command, output) {
    if (!/(^|[\s;&|])docker build /.test(command)) {
      return undefined;
    }
    const cached = cachedRunSteps(output);
    return cached.length > 0
      ? `the build took ${cached.join('; ')} from its cache, so it proves nothing`
      : undefined;
  },
};
