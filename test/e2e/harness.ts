/**
 * Glue for the end-to-end test files: generates a workspace with the real
 * command line, builds the runner's context for this machine and one CI,
 * and runs a pipeline from a clean registry repository.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir } from '../helpers/cli';
import {
  BUILDX_IMAGETOOLS,
  nativeRunnerCheck,
  NO_CACHED_RUN,
  QEMU_REGISTRATION,
  WRAPPER_NOTES,
  writeShellTools,
} from './adjustments';
import { ARCHES, EXPECTED } from './cases';
import type { Availability, E2eEnvironment } from './environment';
import { createGitlabExecutor } from './gitlab-executor';
import { createGitlabProject, readGitlabPipeline } from './gitlab-pipeline';
import { findImageNeeds, provideImages, resetDaemon } from './images';
import type { Pipeline } from './pipeline';
import { deleteAllTags } from './registry';
import type {
  JobExecutor,
  PipelineResult,
  RunContext,
} from './runner';
import { runPipeline } from './runner';
import { createShellExecutor } from './shell-executor';
import { readTravisPipeline } from './travis-pipeline';

const JOB_TIMEOUT_SECONDS = 15 * 60;

/**
 * Values of the CI settings that the pipelines read. The loopback registry
 * has no authentication, so the generated `docker login` runs as written
 * and accepts these placeholders.
 */
const CI_SETTINGS = {
  DOCKER_USERNAME: 'e2e',
  DOCKER_PASSWORD: 'e2e-placeholder',
};

/**
 * Variables of a push to the protected branch main that gitlab-ci-local
 * (4.60.0) does not set that way by itself. Its CI_PIPELINE_SOURCE is
 * already `push`.
 */
const GITLAB_PUSH_TO_MAIN = { CI_COMMIT_REF_PROTECTED: 'true' };

const UNAME_BY_PLATFORM = Object.fromEntries(
  EXPECTED.map((entry) => [entry.platform, entry.unameM]),
);

const temporaryFolders: string[] = [];

function temporaryFolder(prefix: string): string {
  const folder = tempDir(prefix);
  temporaryFolders.push(folder);
  return folder;
}

/**
 * Deletes the workspaces and job folders of this test file, unless
 * GEN_CI_E2E_KEEP=1 keeps them for a look at a failure.
 */
export function removeTemporaryFolders(): void {
  if (process.env.GEN_CI_E2E_KEEP === '1') {
    log(`kept for inspection: ${temporaryFolders.join(' ')}`);
    return;
  }
  for (const folder of temporaryFolders.splice(0)) {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

export function log(line: string): void {
  console.log(line);
}

export function requireEnvironment(availability: Availability): E2eEnvironment {
  if (!availability.ok) {
    throw new Error(`e2e environment unavailable: ${availability.reason}`);
  }
  return availability.env;
}

/** Runs `gen-ci … --out <new folder>` and returns the folder. */
export function generateWorkspace(args: readonly string[]): string {
  const folder = temporaryFolder('gen-ci-e2e-');
  const result = runCli([...args, '--out', folder], folder);
  if (result.status !== 0) {
    throw new Error(
      `gen-ci ${args.join(' ')} failed with exit status ${result.status}:\n${result.stderr}`,
    );
  }
  log(`generated with: gen-ci ${args.join(' ')}`);
  return folder;
}

/**
 * Generates the pipelines for the four tested platforms, with the image in
 * the loopback registry, and returns the folder.
 */
export function generatePipelines(
  env: E2eEnvironment,
  ci: string,
  repository: string,
  options: readonly string[] = [],
): string {
  const image = `${env.registry}/${repository}`;
  const args = ['--arch', ARCHES, '--ci', ci, '--image', image, ...options];
  return generateWorkspace(args);
}

/**
 * Replaces `search` with `replacement` in a generated file, to break the
 * output on purpose. Throws unless `search` occurs exactly `count` times.
 */
export function editGenerated(
  workspace: string,
  file: string,
  search: string,
  replacement: string,
  count = 1,
): void {
  const target = path.join(workspace, file);
  const text = fs.readFileSync(target, 'utf8');
  const found = text.split(search).length - 1;
  if (found !== count) {
    throw new Error(
      `${file} contains ${JSON.stringify(search)} ${found} times, expected ${count}`,
    );
  }
  fs.writeFileSync(target, text.split(search).join(replacement));
  log(
    `broken on purpose: ${file}: ${JSON.stringify(search)} -> ${JSON.stringify(replacement)}`,
  );
}

/**
 * Returns the jobs' environment: that of a fresh CI machine plus the
 * set-up's daemon, a private client config, and the test's tools first
 * on PATH.
 */
function shellEnvironment(env: E2eEnvironment, runDir: string) {
  const binDir = writeShellTools(env, runDir);
  const dockerConfig = path.join(runDir, 'docker-config');
  fs.mkdirSync(dockerConfig, { recursive: true });
  const nodeDir = path.dirname(process.execPath);
  return {
    PATH: `${binDir}:${nodeDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    HOME: process.env.HOME ?? '/root',
    LANG: 'C.UTF-8',
    DOCKER_HOST: env.dockerHost,
    DOCKER_CONFIG: dockerConfig,
  };
}

function logAdjustments(context: RunContext): void {
  log('test-only adjustments:');
  for (const substitution of context.substitutions) {
    log(`  substitution ${substitution.id}: ${substitution.reason}`);
  }
  for (const note of WRAPPER_NOTES) {
    log(`  ${note}`);
  }
  log(
    `  CI settings: ${Object.keys(CI_SETTINGS).join(', ')} hold placeholders; the loopback registry needs no login`,
  );
  log(
    '  images that the jobs name are served from local busybox images, listed per job; nothing is pulled',
  );
}

function createContext(
  env: E2eEnvironment,
  runDir: string,
  executor: JobExecutor,
): RunContext {
  return {
    runDir,
    executor,
    substitutions: [
      QEMU_REGISTRATION,
      BUILDX_IMAGETOOLS,
      nativeRunnerCheck(UNAME_BY_PLATFORM),
    ],
    guards: [NO_CACHED_RUN],
    prepareJob(job, workdir, commands) {
      resetDaemon(env);
      const expanded = commands.map((command) =>
        expandVariables(command, job.variables),
      );
      for (const note of provideImages(
        env,
        findImageNeeds(expanded, workdir, env.registry),
      )) {
        log(`    image ${note}`);
      }
    },
    log,
  };
}

/** Replaces `$NAME` and `${NAME}` of the given variables, for image lookups. */
function expandVariables(
  command: string,
  variables: Readonly<Record<string, string>>,
) {
  return command.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (match, name: string) => variables[name] ?? match,
  );
}

export interface PreparedRun {
  readonly pipeline: Pipeline;
  readonly context: RunContext;
}

/** Prepares a simulated push to main of the generated .travis.yml. */
export function prepareTravis(
  env: E2eEnvironment,
  workspace: string,
): PreparedRun {
  const runDir = temporaryFolder('gen-ci-e2e-run-');
  const executor = createShellExecutor({
    workspace,
    shellEnv: shellEnvironment(env, runDir),
    timeoutSeconds: JOB_TIMEOUT_SECONDS,
  });
  const pipeline = readTravisPipeline(path.join(workspace, '.travis.yml'), {
    branch: 'main',
    repositorySlug: 'gen-ci/e2e',
    settings: CI_SETTINGS,
  });
  return {
    pipeline,
    context: createContext(env, runDir, executor),
  };
}

/** Prepares a simulated push to main of the generated .gitlab-ci.yml. */
export function prepareGitlab(
  env: E2eEnvironment,
  workspace: string,
): PreparedRun {
  const runDir = temporaryFolder('gen-ci-e2e-run-');
  const project = createGitlabProject(
    workspace,
    path.join(runDir, 'project'),
    GITLAB_PUSH_TO_MAIN,
  );
  const executor = createGitlabExecutor({
    project,
    shellEnv: { ...shellEnvironment(env, runDir), DOCKER_BUILDKIT: '1' },
    settings: CI_SETTINGS,
    timeoutSeconds: JOB_TIMEOUT_SECONDS,
  });
  const pipeline = readGitlabPipeline(project);
  return {
    pipeline,
    context: createContext(env, runDir, executor),
  };
}

/** Runs a pipeline after deleting what an earlier run pushed. */
export async function runFromClean(
  env: E2eEnvironment,
  run: PreparedRun,
  repository: string,
): Promise<PipelineResult> {
  const deleted = await deleteAllTags(env.registry, repository);
  if (deleted.length > 0) {
    log(
      `registry: deleted earlier tags of ${repository}: ${deleted.join(', ')}`,
    );
  }
  logAdjustments(run.context);
  return runPipeline(run.pipeline, run.context);
}
