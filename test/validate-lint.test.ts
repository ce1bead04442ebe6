import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CiName } from '../src/ci/platforms';
import { checkCiText } from '../src/validate/check-file';
import type { Finding } from '../src/validate/findings';
import { splitCommands } from '../src/validate/lint/shell';
import { LINT_RULES } from '../src/validate/rules';

const FIXTURES = path.join(__dirname, 'fixtures', 'lint');

interface Fixture {
  readonly rule: string;
  readonly name: string;
  readonly expectation: 'bad' | 'good';
  readonly ci: CiName;
  readonly file: string;
}

/** Fixtures are named `<bad|good>[-case].<ci>.yml` in a folder per rule. */
function fixtures(): Fixture[] {
  return fs
    .readdirSync(FIXTURES)
    .sort()
    .flatMap((rule) =>
      fs
        .readdirSync(path.join(FIXTURES, rule))
        .sort()
        .map((name) => {
          const match =
            /^(bad|good)(-[\w-]+)?\.(travis|gitlab|github)\.yml$/.exec(name);
          if (!match) {
            throw new Error(
              `fixture ${rule}/${name} is not named <bad|good>[-case].<ci>.yml`,
            );
          }
          return {
            rule,
            name,
            expectation: match[1] as 'bad' | 'good',
            ci: match[3] as CiName,
            file: path.join(FIXTURES, rule, name),
          };
        }),
    );
}

function lint(fixture: Fixture): Finding[] {
  const text = fs.readFileSync(fixture.file, 'utf8');
  return checkCiText(`${fixture.rule}/${fixture.name}`, text, fixture.ci, {
    builtin: 'never',
    lint: true,
  }).findings;
}

const ALL = fixtures();

describe('lint rule fixtures', () => {
  it('give every rule a failing and a passing fixture', () => {
    for (const rule of LINT_RULES) {
      const own = ALL.filter((fixture) => fixture.rule === rule.id);
      expect(
        own.some((fixture) => fixture.expectation === 'bad'),
        rule.id,
      ).toBe(true);
      expect(
        own.some((fixture) => fixture.expectation === 'good'),
        rule.id,
      ).toBe(true);
    }
  });

  it('name only known rules', () => {
    const ids = LINT_RULES.map((rule) => rule.id);
    for (const fixture of ALL) {
      expect(ids).toContain(fixture.rule);
    }
  });

  it.each(
    ALL.map((fixture) => [`${fixture.rule}/${fixture.name}`, fixture] as const),
  )('%s', (_, fixture) => {
    const findings = lint(fixture);
    const described = findings.map(
      (finding) => `${finding.rule}: ${finding.message}`,
    );
    if (fixture.expectation === 'good') {
      expect(described).toEqual([]);
      return;
    }
    expect(findings.length, described.join('\n')).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(finding.rule, described.join('\n')).toBe(fixture.rule);
    }
  });
});

describe('lint rules', () => {
  it('have an id, a severity and a one-line reason', () => {
    for (const rule of LINT_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9.]+)+$/);
      expect(['error', 'warning']).toContain(rule.severity);
      expect(rule.reason.length).toBeGreaterThan(20);
      expect(rule.reason).not.toContain('\n');
    }
  });

  it('have unique ids', () => {
    const ids = LINT_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

function lintText(ci: CiName, text: string): Finding[] {
  return checkCiText('ci.yml', text, ci, { builtin: 'never', lint: true })
    .findings;
}

describe('lint positions', () => {
  it('points at the flag inside a multi-line script', () => {
    const text = [
      'build:',
      '  script:',
      '    - |',
      '      echo start',
      '      docker buildx build --load \\',
      '        --platform linux/amd64,linux/arm64 .',
      '',
    ].join('\n');
    const [finding] = lintText('gitlab', text);
    expect(finding.rule).toBe('buildx-load-multi-platform');
    expect(finding.line).toBe(5);
    expect(finding.column).toBe(27);
  });

  it('points at a misspelled key, not its value', () => {
    const [finding] = lintText('travis', 'language: shell\nvirtt: lxd\n');
    expect(finding.rule).toBe('travis-key-misspelled');
    expect([finding.line, finding.column]).toEqual([2, 1]);
  });

  it('reports a root command inherited by several jobs once', () => {
    const text = [
      'language: shell',
      'before_install:',
      '  - docker login -u me -p secret',
      'jobs:',
      '  include:',
      '    - name: one',
      '    - name: two',
      '',
    ].join('\n');
    const rules = lintText('travis', text).map((finding) => finding.rule);
    expect(rules).toEqual(['docker-login-password-arg']);
  });
});

describe('lint jobs', () => {
  it('resolves GitLab extends and !reference scripts', () => {
    const text = [
      '.qemu:',
      '  script:',
      '    - docker run --rm --privileged multiarch/qemu-user-static:7.2.0-1 --reset',
      '.build:',
      '  script:',
      '    - !reference [.qemu, script]',
      '    - docker build --platform linux/arm64 .',
      'build-arm64:',
      '  extends: .build',
      '',
    ].join('\n');
    const findings = lintText('gitlab', text);
    expect(findings.map((finding) => finding.rule)).toEqual([
      'qemu-no-fix-binary',
    ]);
    expect(findings[0].line).toBe(3);
  });

  it('lets Travis jobs inherit the root registration', () => {
    const text = [
      'language: shell',
      'before_install:',
      '  - docker run --rm --privileged tonistiigi/binfmt:qemu-v8.1.5 --install arm64',
      'jobs:',
      '  include:',
      '    - script: docker build --platform linux/arm64 .',
      '    - script: docker build --platform linux/arm64 --file Dockerfile.other .',
      '',
    ].join('\n');
    expect(lintText('travis', text)).toEqual([]);
  });

  it('checks GitLab dind TLS with variables from extends', () => {
    const text = [
      'variables:',
      '  DOCKER_HOST: tcp://docker:2375',
      '.dind:',
      '  services: [docker:dind]',
      'build:',
      '  extends: .dind',
      '  script: [docker info]',
      '',
    ].join('\n');
    const [finding] = lintText('gitlab', text);
    expect(finding.rule).toBe('gitlab-dind-tls');
    expect(finding.line).toBe(2);
  });

  it('accepts a dind job that leaves TLS to the defaults', () => {
    const text = [
      'build:',
      '  image: docker:27.3-cli',
      '  services: [docker:27.3-dind]',
      '  script: [docker info]',
      '',
    ].join('\n');
    expect(lintText('gitlab', text)).toEqual([]);
  });

  it.each([
    'docker:dind',
    'docker:dind-rootless',
    'docker:24-dind',
    'docker:29-dind',
    'docker:19-dind',
    'docker:24.0-dind',
    'docker:27.3.1-dind',
    'docker:29.8.0-dind-rootless',
    'docker:29.1.2-dind-alpine3.22',
    'docker.io/library/docker:29-dind',
    'registry.example.com:5000/mirror/docker:29-dind',
    `docker:29-dind@sha256:${'a'.repeat(64)}`,
  ])('finds plain TCP to TLS dind %s', (image) => {
    const text = [
      'build:',
      `  services: ['${image}']`,
      '  variables:',
      '    DOCKER_HOST: tcp://docker:2375',
      '  script: [docker info]',
      '',
    ].join('\n');
    const rules = lintText('gitlab', text).map((finding) => finding.rule);
    expect(rules).toEqual(['gitlab-dind-tls']);
  });

  it.each(['docker:18-dind', 'docker:19.02-dind', 'docker:29-cli'])(
    'accepts plain TCP to %s',
    (image) => {
      const text = [
        'build:',
        `  services: ['${image}']`,
        '  variables:',
        '    DOCKER_HOST: tcp://docker:2375',
        '  script: [docker info]',
        '',
      ].join('\n');
      expect(lintText('gitlab', text)).toEqual([]);
    },
  );

  it('matches a long service name in linear time', () => {
    const image = `docker:${'1-'.repeat(20_000)}x`;
    const started = performance.now();
    const text = `build:\n  services: ['${image}']\n  script: [docker info]\n`;
    expect(lintText('gitlab', text)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('shell splitting', () => {
  it('splits on separators outside quotes', () => {
    const commands = splitCommands(
      'if [ "$A" = "x;y" ]; then docker run --rm img && echo ok; fi',
    );
    expect(commands.map((command) => command.words)).toEqual([
      ['if', '[', '$A', '=', 'x;y', ']'],
      ['then', 'docker', 'run', '--rm', 'img'],
      ['echo', 'ok'],
      ['fi'],
    ]);
  });

  it('joins continued lines and keeps substitutions in one word', () => {
    const commands = splitCommands(
      'docker build \\\n  --tag "$(echo a; echo b)" .',
    );
    expect(commands.map((command) => command.words)).toEqual([
      ['docker', 'build', '--tag', '$(echo a; echo b)', '.'],
    ]);
  });

  it('drops comments', () => {
    const commands = splitCommands('docker info # shows -p secret\necho done');
    expect(commands.map((command) => command.words)).toEqual([
      ['docker', 'info'],
      ['echo', 'done'],
    ]);
  });
});

describe('QEMU registration without the F flag', () => {
  const pipeline = [
    'language: shell',
    'script:',
    '  - docker run --rm --privileged multiarch/qemu-user-static:7.2.0-1 --reset',
    '  - docker build --file Dockerfile.arm64 --tag example/app .',
    '',
  ].join('\n');

  function findings(dockerfile: string | undefined): string[] {
    const companion = (name: string) =>
      name === 'Dockerfile.arm64' ? dockerfile : undefined;
    return checkCiText('.travis.yml', pipeline, 'travis', {
      builtin: 'never',
      lint: true,
      companion,
    }).findings.map((finding) => finding.rule);
  }

  it('passes when the built Dockerfile copies the emulator', () => {
    const dockerfile =
      'FROM multiarch/qemu-user-static:x86_64-aarch64 AS qemu\nFROM arm64v8/alpine\nCOPY --from=qemu /usr/bin/qemu-aarch64-static /usr/bin/\n';
    expect(findings(dockerfile)).toEqual([]);
  });

  it('fails when the Dockerfile lacks it or is unknown', () => {
    expect(findings('FROM arm64v8/alpine\nRUN true\n')).toEqual([
      'qemu-no-fix-binary',
    ]);
    expect(findings(undefined)).toEqual(['qemu-no-fix-binary']);
  });

  it('does not take a handler check for a copy', () => {
    const text = pipeline.replace(
      '  - docker build',
      "  - grep -Fqx 'interpreter /usr/bin/qemu-aarch64-static' /proc/sys/fs/binfmt_misc/qemu-aarch64\n  - docker build",
    );
    const rules = checkCiText('.travis.yml', text, 'travis', {
      builtin: 'never',
      lint: true,
    }).findings.map((finding) => finding.rule);
    expect(rules).toEqual(['qemu-no-fix-binary']);
  });
});
