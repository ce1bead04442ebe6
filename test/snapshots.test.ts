import { describe, expect, it } from 'vitest';
import { generate } from '../src/generate';
import type { GenerateOptions } from '../src/config';
import {
  asMap,
  readSnapshot,
  UPDATING,
  writeSnapshot,
} from './helpers/snapshots';

/** Each case renders into `snapshots/<name>/`. */
export const SNAPSHOT_CASES: Record<string, GenerateOptions> = {
  'travis-ppc64le-s390x': {
    arch: ['ppc64le,s390x'],
    ci: ['travis'],
    image: 'example/app',
  },
  'travis-arm-family': {
    arch: ['arm64', 'arm/v7', 'arm/v6'],
    ci: ['travis'],
    image: 'ghcr.io/org/app',
    buildArgs: ["URL=https://m.example/p?k=v&x='y'", 'ENABLE=on', 'RELEASE=1.20'],
  },
  'travis-native': {
    arch: ['amd64', 'arm64', 'ppc64le', 's390x', 'riscv64'],
    ci: ['travis'],
    image: 'registry.example.com:5000/team/app',
    strategy: 'native',
  },
  'travis-legacy-seed': {
    arch: ['ppc64le'],
    ci: ['travis'],
    strategy: 'legacy',
    base: 'alpine',
  },
  'travis-user-dockerfile': {
    arch: ['arm64', 'ppc64le'],
    ci: ['travis'],
    image: 'example/app',
    buildArgs: ['VERSION=1.2.3'],
    dockerfile: {
      fileName: 'Dockerfile',
      content: [
        '# syntax=docker/dockerfile:1',
        'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
        '',
        'FROM alpine:3.22',
        'COPY --from=build /out/app /usr/local/bin/app',
        'ENTRYPOINT ["app"]',
        '',
      ].join('\n'),
    },
  },
  'gitlab-ppc64le-s390x': {
    arch: ['ppc64le,s390x'],
    ci: ['gitlab'],
  },
  'gitlab-auto-mixed': {
    arch: ['amd64', 'arm64', 'ppc64le', 'arm/v7'],
    ci: ['gitlab'],
    image: 'quay.io/org/app',
    buildArgs: ["URL=https://m.example/p?k=v&x='y'", 'ENABLE=on'],
  },
  'gitlab-emulated-runners': {
    arch: ['386', 'arm64', 's390x'],
    ci: ['gitlab'],
    image: 'registry.gitlab.com/group/app',
    strategy: 'emulated',
    runner: ['gitlab:amd64=linux-large'],
    dockerVersion: '28.5',
    branch: 'release',
  },
  'gitlab-native-self-managed': {
    arch: ['arm64', 'ppc64le', 'riscv64'],
    ci: ['gitlab'],
    image: 'registry.example.com:5000/team/app',
    strategy: 'native',
    runner: ['gitlab:arm64=graviton'],
  },
  'github-ppc64le-s390x': {
    arch: ['ppc64le,s390x'],
    ci: ['github'],
  },
  'github-auto-arm-family': {
    arch: ['amd64', 'arm64', 'arm/v7', 'arm/v6', 'riscv64'],
    ci: ['github'],
    image: 'example/app',
    buildArgs: ["URL=https://m.example/p?k=v&x='y'", 'ENABLE=on', 'Q="x"'],
  },
  'github-emulated-sha': {
    arch: ['arm64', 'ppc64le'],
    ci: ['github'],
    image: 'ghcr.io/org/app',
    strategy: 'emulated',
    pinActions: 'sha',
    workflowName: 'images',
    branch: 'release',
  },
  'all-three-ppc64le-s390x': {
    arch: ['ppc64le,s390x'],
    ci: ['travis', 'gitlab', 'github'],
    image: 'example/app',
  },
};

describe('snapshots', () => {
  it.each(Object.keys(SNAPSHOT_CASES))('%s matches', (name) => {
    const files = generate(SNAPSHOT_CASES[name]);
    if (UPDATING) {
      writeSnapshot(name, files);
    }
    expect(asMap(files)).toEqual(readSnapshot(name));
  });
});
