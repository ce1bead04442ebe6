import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors';
import {
  checkImageReference,
  formatImageReference,
  isDockerHubOfficial,
  officialName,
  parseImageReference,
  parseImageRepository,
  registryHost,
  type ImageRef,
} from '../src/image-ref';

const SHA = 'a'.repeat(64);

function errorOf(action: () => unknown): UsageError {
  try {
    action();
  } catch (error) {
    if (error instanceof UsageError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

describe('parseImageReference', () => {
  const valid: Array<[string, ImageRef]> = [
    ['example/app', { path: 'example/app' }],
    ['ghcr.io/org/app', { domain: 'ghcr.io', path: 'org/app' }],
    [
      'registry.example.com:5000/team/app',
      { domain: 'registry.example.com:5000', path: 'team/app' },
    ],
    ['localhost/app', { domain: 'localhost', path: 'app' }],
    ['localhost:5000/app', { domain: 'localhost:5000', path: 'app' }],
    ['[::1]:5000/app', { domain: '[::1]:5000', path: 'app' }],
    ['alpine', { path: 'alpine' }],
    ['alpine:3.22', { path: 'alpine', tag: '3.22' }],
    [`alpine@sha256:${SHA}`, { path: 'alpine', digest: `sha256:${SHA}` }],
    [
      `alpine:3.22@sha256:${SHA}`,
      { path: 'alpine', tag: '3.22', digest: `sha256:${SHA}` },
    ],
    ['my_org/my__app', { path: 'my_org/my__app' }],
    ['org/a-b---c.d', { path: 'org/a-b---c.d' }],
    ['a-b.c/e', { domain: 'a-b.c', path: 'e' }],
    [
      'Registry.Example.com/app',
      { domain: 'Registry.Example.com', path: 'app' },
    ],
    ['alpine:_Latest-1.x', { path: 'alpine', tag: '_Latest-1.x' }],
    [`alpine:${'t'.repeat(128)}`, { path: 'alpine', tag: 't'.repeat(128) }],
  ];

  it.each(valid)('parses %s', (value, expected) => {
    expect(parseImageReference(value, 'base')).toEqual(expected);
  });

  it.each(valid)('formats %s back unchanged', (value) => {
    expect(formatImageReference(parseImageReference(value, 'base'))).toBe(
      value,
    );
  });

  const invalid: Array<[string, string]> = [
    ['uppercase path', 'Example/App'],
    ['uppercase single name', 'Alpine'],
    ['empty value', ''],
    ['shell command', 'app;rm -rf /'],
    ['command substitution', '$(id)'],
    ['backticks', '`id`'],
    ['space inside', 'my app'],
    ['trailing space', 'alpine:3.22 '],
    ['newline', 'app\nRUN id'],
    ['double slash', 'a//b'],
    ['leading slash', '/app'],
    ['trailing slash', 'app/'],
    ['trailing dash', 'app-'],
    ['leading dot', '.app'],
    ['two dots', 'a..b'],
    ['three underscores', 'a___b'],
    ['tag too long', `alpine:${'t'.repeat(129)}`],
    ['empty tag', 'alpine:'],
    ['tag starting with dash', 'alpine:-x'],
    ['short sha256 digest', 'alpine@sha256:abc'],
    ['uppercase sha256 digest', `alpine@sha256:${'A'.repeat(64)}`],
    ['digest without algorithm', `alpine@${SHA}`],
    ['non-numeric port', 'registry.example.com:http/app'],
    ['domain only', 'ghcr.io/'],
    ['name too long', `example/${'a'.repeat(250)}`],
  ];

  it.each(invalid)('rejects %s as IMAGE_INVALID', (_case, value) => {
    expect(errorOf(() => parseImageReference(value, 'image')).code).toBe(
      'IMAGE_INVALID',
    );
  });

  it.each(invalid)('rejects %s as BASE_INVALID', (_case, value) => {
    expect(errorOf(() => parseImageReference(value, 'base')).code).toBe(
      'BASE_INVALID',
    );
  });

  it('names value and expected form in message', () => {
    const error = errorOf(() => parseImageReference('Example/App', 'image'));
    expect(error.message).toContain('"Example/App"');
    expect(error.message).toContain('uppercase');
    expect(error.message).toContain('ghcr.io/org/app');
    expect(error.message).not.toContain('\n');
  });

  it('returns problem as value from checkImageReference', () => {
    const result = checkImageReference('a//b');
    expect(result.ok).toBe(false);
  });
});

describe('parseImageRepository', () => {
  it('accepts repository with registry port', () => {
    expect(parseImageRepository('localhost:5000/team/app')).toEqual({
      domain: 'localhost:5000',
      path: 'team/app',
    });
  });

  it('rejects tag', () => {
    expect(errorOf(() => parseImageRepository('example/app:1.0')).code).toBe(
      'IMAGE_INVALID',
    );
  });

  it('rejects digest', () => {
    const value = `example/app@sha256:${SHA}`;
    expect(errorOf(() => parseImageRepository(value)).code).toBe(
      'IMAGE_INVALID',
    );
  });

  it('rejects invalid repository', () => {
    expect(errorOf(() => parseImageRepository('$(id)')).code).toBe(
      'IMAGE_INVALID',
    );
  });
});

describe('Docker Hub helpers', () => {
  const parse = (value: string) => parseImageReference(value, 'base');

  it.each([
    ['alpine:3.22', 'alpine'],
    ['library/debian', 'debian'],
    ['docker.io/library/ubuntu:24.04', 'ubuntu'],
    ['index.docker.io/busybox', 'busybox'],
    ['docker.io/alpine', 'alpine'],
  ])('treats %s as official %s', (value, name) => {
    expect(isDockerHubOfficial(parse(value))).toBe(true);
    expect(officialName(parse(value))).toBe(name);
  });

  it.each([
    'example/app',
    'docker.io/example/app',
    'ghcr.io/alpine',
    'library/a/b',
    'localhost/alpine',
  ])('treats %s as not official', (value) => {
    expect(isDockerHubOfficial(parse(value))).toBe(false);
    expect(officialName(parse(value))).toBeUndefined();
  });

  it.each([
    ['example/app', 'docker.io'],
    ['docker.io/example/app', 'docker.io'],
    ['ghcr.io/org/app', 'ghcr.io'],
    ['registry.example.com:5000/team/app', 'registry.example.com:5000'],
  ])('returns registry host of %s', (value, host) => {
    expect(registryHost(parse(value))).toBe(host);
  });
});
