import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ARCHES } from '../src/arch/table';
import { doctorView } from '../src/commands/doctor';
import { runInit, type InitArgs } from '../src/commands/init';
import { readBinfmt } from '../src/doctor/binfmt';
import { createLogger } from '../src/log';
import { listFiles, runCli, tempDir } from './helpers/cli';
import { readText, tempTree } from './helpers/files';

const BINFMT = path.join(__dirname, 'fixtures', 'binfmt');

describe('gen-ci plan', () => {
  const ARGS = ['plan', '--arch', 'arm64,s390x', '--ci', 'travis,gitlab', '--image', 'example/app'];

  it('prints runners, emulators and tags as a table', () => {
    const result = runCli(ARGS, tempDir());
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        'CI      ARCH   RUNNER    LABEL                   EMULATOR                                      TAG',
        'travis  arm64  emulated  amd64                   tonistiigi/binfmt:qemu-v8.1.5 (qemu-aarch64)  example/app:$TAG-arm64',
        'travis  s390x  emulated  amd64                   tonistiigi/binfmt:qemu-v8.1.5 (qemu-s390x)    example/app:$TAG-s390x',
        'gitlab  arm64  native    saas-linux-small-arm64  -                                             example/app:$TAG-arm64',
        'gitlab  s390x  emulated  (CI default)            tonistiigi/binfmt:qemu-v8.1.5 (qemu-s390x)    example/app:$TAG-s390x',
        '',
        'travis manifest: joins 2 tag(s) into example/app:$TAG, on pushes to main and on tags',
        'gitlab manifest: joins 2 tag(s) into example/app:$TAG, on pushes to main and on tags',
        '',
      ].join('\n'),
    );
  });

  it('prints the same plan as JSON', () => {
    const result = runCli([...ARGS, '--format', 'json'], tempDir());
    expect(result.status).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.cis.map((ci: { ci: string }) => ci.ci)).toEqual(['travis', 'gitlab']);
    expect(plan.cis[1].jobs[0]).toEqual({
      arch: 'arm64',
      runner: 'native',
      runnerLabel: 'saas-linux-small-arm64',
      emulator: null,
      dockerfile: 'Dockerfile.arm64',
      tag: 'example/app:$TAG-arm64',
    });
    expect(plan.cis[0].jobs[1].emulator).toEqual({
      image: 'tonistiigi/binfmt:qemu-v8.1.5',
      handler: 'qemu-s390x',
    });
    expect(plan.cis[0].manifest).toEqual({
      tag: 'example/app:$TAG',
      sources: ['example/app:$TAG-arm64', 'example/app:$TAG-s390x'],
      publishes: { branch: 'main', tags: true },
    });
  });

  it('reads the config file', () => {
    const dir = tempTree({
      'gen-ci.yml': 'arch: [riscv64]\nci: github\ngithub:\n  runners: {amd64: big-runner}\n',
    });
    const result = runCli(['plan', '--format', 'json'], dir);
    expect(result.status).toBe(0);
    const [github] = JSON.parse(result.stdout).cis;
    expect(github.jobs[0]).toMatchObject({ arch: 'riscv64', runner: 'emulated', runnerLabel: 'big-runner' });
  });

  it('reports a bad option like generate, exit 2', () => {
    const result = runCli(['plan', '--arch', 'ppc65le'], tempDir());
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/did you mean "ppc64le"/);
  });
});

describe('gen-ci arches', () => {
  it('lists every architecture with its spellings', () => {
    const result = runCli(['arches'], tempDir());
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(ARCHES.length + 1);
    expect(lines[0]).toMatch(/^NAME +PLATFORM +ALSO ACCEPTED +DEBIAN +ALPINE +UNAME -M +QEMU +NATIVE RUNNERS$/);
    expect(lines.find((line) => line.startsWith('arm/v7 '))).toMatch(
      /^arm\/v7 +linux\/arm\/v7 +armv7, arm, armv7l, armv7hf, arm32v7 +armhf +armv7 +armv7l +qemu-arm +github \(ubuntu-24\.04-arm\)$/,
    );
    expect(lines.find((line) => line.startsWith('riscv64 '))).toMatch(/qemu-riscv64 +-$/);
  });

  it('prints every record field as JSON', () => {
    const result = runCli(['arches', '--format', 'json'], tempDir());
    const arches = JSON.parse(result.stdout);
    expect(arches.map((arch: { name: string }) => arch.name)).toEqual(ARCHES.map((arch) => arch.name));
    const arm64 = arches.find((arch: { name: string }) => arch.name === 'arm64');
    expect(arm64).toMatchObject({ platform: 'linux/arm64', binfmtHandler: 'qemu-aarch64', aliases: ['aarch64', 'arm64/v8', 'arm64v8', 'armv8'] });
    expect(arm64.native).toEqual([
      { ci: 'travis', label: 'arm64', auto: false },
      { ci: 'gitlab', label: 'saas-linux-small-arm64', auto: true },
      { ci: 'github', label: 'ubuntu-24.04-arm', auto: true },
    ]);
  });
});

describe('gen-ci doctor', () => {
  const registered = readBinfmt(path.join(BINFMT, 'registered'));

  it('reads handlers, interpreters and flags', () => {
    expect(registered.mounted).toBe(true);
    expect(registered.enabled).toBe(true);
    expect(registered.handlers).toEqual([
      { name: 'qemu-aarch64', enabled: true, interpreter: '/usr/bin/qemu-aarch64-static', flags: 'POCF', fixBinary: true },
      { name: 'qemu-ppc64le', enabled: false, interpreter: '/usr/bin/qemu-ppc64le-static', flags: 'OCF', fixBinary: true },
      { name: 'qemu-riscv64', enabled: true, interpreter: '/usr/bin/qemu-riscv64-static', flags: 'P', fixBinary: false },
      { name: 'qemu-s390x', enabled: true, interpreter: '/usr/bin/qemu-s390x', flags: 'F', fixBinary: true },
    ]);
  });

  it('says which architectures an amd64 host runs', () => {
    const view = doctorView(registered, 'x86_64');
    expect(view.host).toEqual({ machine: 'x86_64', arch: 'amd64' });
    const support = Object.fromEntries(view.arches.map((entry) => [entry.arch, entry.support]));
    expect(support).toEqual({
      amd64: 'native',
      '386': 'native',
      'arm/v5': 'no',
      'arm/v6': 'no',
      'arm/v7': 'no',
      arm64: 'emulated',
      ppc64le: 'no',
      s390x: 'emulated',
      riscv64: 'emulated',
      mips64le: 'no',
      loong64: 'no',
    });
    const riscv = view.arches.find((entry) => entry.arch === 'riscv64');
    expect(riscv?.detail).toBe('qemu-riscv64 without the F flag, so not inside containers');
  });

  it('runs 32-bit ARM natively on an arm64 host', () => {
    const view = doctorView(registered, 'aarch64');
    const armv7 = view.arches.find((entry) => entry.arch === 'arm/v7');
    expect(armv7?.support).toBe('native');
  });

  it('warns about a handler without F and a disabled handler', () => {
    const { warnings } = doctorView(registered, 'x86_64');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toBe('qemu-ppc64le is registered but disabled');
    expect(warnings[1]).toMatch(/^qemu-riscv64 lacks the F flag \(flags: P\)/);
  });

  it('prints the fixture as tables, exit 0', () => {
    const result = runCli(['doctor', '--binfmt-dir', path.join(BINFMT, 'registered')], tempDir());
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      [
        'HANDLER       ENABLED  FLAGS  INTERPRETER',
        'qemu-aarch64  yes      POCF   /usr/bin/qemu-aarch64-static',
        'qemu-ppc64le  no       OCF    /usr/bin/qemu-ppc64le-static',
        'qemu-riscv64  yes      P      /usr/bin/qemu-riscv64-static',
        'qemu-s390x    yes      F      /usr/bin/qemu-s390x',
      ].join('\n'),
    );
    expect(result.stdout).toMatch(/^s390x +emulated +qemu-s390x with the F flag$/m);
    expect(result.stderr).toMatch(/^gen-ci: warning: qemu-riscv64 lacks the F flag/m);
  });

  it('prints JSON for scripts', () => {
    const dir = path.join(BINFMT, 'registered');
    const result = runCli(['doctor', '--binfmt-dir', dir, '--format', 'json'], tempDir());
    const view = JSON.parse(result.stdout);
    expect(view.binfmt.dir).toBe(dir);
    expect(view.binfmt.handlers).toHaveLength(4);
    expect(view.warnings).toHaveLength(2);
  });

  it('exits 1 when binfmt_misc is disabled', () => {
    const result = runCli(['doctor', '--binfmt-dir', path.join(BINFMT, 'disabled')], tempDir());
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('binfmt_misc: mounted at');
    expect(result.stderr).toContain('binfmt_misc is disabled');
    expect(result.stdout).toMatch(/^s390x +(no|native) /m);
  });

  it('exits 1 when binfmt_misc is not mounted', () => {
    const empty = tempDir();
    const result = runCli(['doctor', '--binfmt-dir', empty], tempDir());
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`binfmt_misc: not mounted at ${empty}`);
    expect(result.stderr).toContain(`mount -t binfmt_misc binfmt_misc ${empty}`);
  });
});

describe('gen-ci init', () => {
  it('writes a starter that gen-ci reads', () => {
    const dir = tempDir();
    const result = runCli(['init', '--arch', 'ppc64le', '--image', 'example/app'], dir);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('create    gen-ci.yml\n');
    const text = readText(dir, 'gen-ci.yml');
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=node_modules/gen-ci/schemas/gen-ci-config.schema.json',
    );
    expect(parse(text)).toEqual({ arch: ['ppc64le'], image: 'example/app' });
    expect(text).toContain('# strategy: auto\n');
    expect(text).toContain('# github:\n');
    const generated = runCli([], dir);
    expect(generated.status).toBe(0);
    expect(listFiles(dir)).toEqual(['.travis.yml', 'Dockerfile.ppc64le', 'gen-ci.yml']);
  });

  it('keeps an existing gen-ci.yml unless --force', () => {
    const dir = tempTree({ 'gen-ci.yml': 'arch: [s390x]\n' });
    const refused = runCli(['init'], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--force');
    expect(readText(dir, 'gen-ci.yml')).toBe('arch: [s390x]\n');
    expect(runCli(['init', '--force'], dir).status).toBe(0);
    expect(parse(readText(dir, 'gen-ci.yml'))).toEqual({ arch: ['amd64', 'arm64'] });
  });

  it('rejects an existing gen-ci.yml with OUTPUT_CONFLICT', () => {
    const dir = tempTree({ 'gen-ci.yml': 'arch: [s390x]\n' });
    const args = { out: dir, force: false } as InitArgs;
    expect(() => runInit(args, createLogger('quiet'))).toThrow(
      expect.objectContaining({ code: 'OUTPUT_CONFLICT', exitCode: 1 }),
    );
    expect(readText(dir, 'gen-ci.yml')).toBe('arch: [s390x]\n');
  });

  it('keeps another config file even with --force', () => {
    const dir = tempTree({ '.gen-ci.yml': 'arch: [s390x]\n' });
    const result = runCli(['init', '--force'], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('.gen-ci.yml');
    expect(listFiles(dir)).toEqual(['.gen-ci.yml']);
  });

  it('rejects a value that gen-ci would reject, exit 2', () => {
    const dir = tempDir();
    const result = runCli(['init', '--arch', 'ppc65le'], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gen-ci: error: unknown architecture "ppc65le"/);
    expect(listFiles(dir)).toEqual([]);
  });
});

describe('help and completion', () => {
  it('completes the default command options', () => {
    const result = runCli(['--get-yargs-completions', 'gen-ci', '--ar'], tempDir());
    const words = result.stdout.split('\n');
    expect(words).toContain('--arch');
    expect(words).toContain('--image');
    expect(result.status).toBe(0);
  });

  it('completes only the named command options', () => {
    const args = ['--get-yargs-completions', 'gen-ci', 'validate', '--'];
    const words = runCli(args, tempDir()).stdout.split('\n');
    expect(words).toContain('--format');
    expect(words).not.toContain('--arch');
  });

  it('rejects a shell name after completion', () => {
    const result = runCli(['completion', 'fish'], tempDir());
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('gen-ci completion takes no arguments');
  });

  it.each(['generate', 'plan', 'arches', 'doctor', 'init'])('%s --help shows examples', (command) => {
    const result = runCli([command, '--help'], tempDir());
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Examples:');
  });

  it('prints a completion script', () => {
    const result = runCli(['completion'], tempDir());
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('###-begin-gen-ci-completions-###');
    expect(result.stderr).toBe('');
  });

  it('completes command names', () => {
    const result = runCli(['--get-yargs-completions', 'gen-ci', 'ar'], tempDir());
    expect(result.stdout.split('\n')).toContain('arches');
  });
});
