/**
 * Docker image references, parsed by hand from the grammar of the
 * distribution reference package (github.com/distribution/reference):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component [ "/" path-component ]*
 *   domain    := host [ ":" port ]
 *   path-component := [a-z0-9]+ ( separator [a-z0-9]+ )*
 *   separator := "." | "_" | "__" | "-"+
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ":" hex (at least 32 hex digits)
 *
 * The first path component is a domain when the name has more than one
 * component and the first one contains "." or ":" or is `localhost`.
 */

import { UsageError } from './errors';
import { DEFAULT_EMULATOR_IMAGE } from './options';

/** A parsed image reference: `[domain/]path[:tag][@digest]`. */
export interface ImageRef {
  /** Registry host with an optional port: `ghcr.io`, `localhost:5000`. */
  domain?: string;
  /** Repository path without the domain: `org/app`, `alpine`. */
  path: string;
  tag?: string;
  /** Content digest `algorithm:hex`, e.g. `sha256:` and 64 hex digits. */
  digest?: string;
}

/** Option that the value came from, which picks the error code and examples. */
export type ImageRole = 'image' | 'base' | 'emulator-image';

/** Result of `checkImageReference`: the reference or the reason it failed. */
export type ImageRefResult =
  | { ok: true; ref: ImageRef }
  | { ok: false; problem: string };

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const IPV6_HOST = /^\[[0-9a-fA-F:.]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^\w[\w.-]*$/;
const MAX_TAG_LENGTH = 128;
const DIGEST_ALGORITHM = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*';
const DIGEST = new RegExp(`^${DIGEST_ALGORITHM}:[0-9a-fA-F]{32,}$`);
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Maximum length of domain plus path, as in the reference package. */
const MAX_NAME_LENGTH = 255;
/** Every character that can appear anywhere in a valid reference. */
const REFERENCE_CHARACTERS = /[A-Za-z0-9._\-/:@[\]]/;
const DOCKER_HUB_DOMAINS = new Set(['docker.io', 'index.docker.io']);

const EXPECTED: Record<ImageRole, string> = {
  image:
    'a repository such as example/app, ghcr.io/org/app or registry.example.com:5000/team/app',
  base:
    'an image such as alpine:3.22, ghcr.io/org/base:1 or registry.example.com:5000/team/base@sha256:<64 hex digits>',
  'emulator-image': `an image with a version tag or a digest, such as ${DEFAULT_EMULATOR_IMAGE}`,
};

const ERROR_CODE = {
  image: 'IMAGE_INVALID',
  base: 'BASE_INVALID',
  'emulator-image': 'IMAGE_INVALID',
} as const;

/**
 * Parses `value` as an image reference. Throws a UsageError (IMAGE_INVALID
 * or BASE_INVALID, by `what`) that names the value, the problem and the
 * expected form.
 */
export function parseImageReference(value: string, what: ImageRole): ImageRef {
  const result = checkImageReference(value);
  if (!result.ok) {
    throw invalidReference(what, value, result.problem);
  }
  return result.ref;
}

/**
 * Parses the `--image` value, which must be a repository without a tag or
 * digest because the pipeline chooses the tags it pushes.
 */
export function parseImageRepository(value: string): ImageRef {
  const ref = parseImageReference(value, 'image');
  if (ref.tag !== undefined) {
    const problem = `it has the tag ":${ref.tag}", but the pipeline chooses the tags`;
    throw invalidReference('image', value, problem);
  }
  if (ref.digest !== undefined) {
    const problem = `it has the digest "@${ref.digest}", but the pipeline pushes new images`;
    throw invalidReference('image', value, problem);
  }
  return ref;
}

/** Parses `value` and returns the reference or the problem as a value. */
export function checkImageReference(value: string): ImageRefResult {
  const characterProblem = findCharacterProblem(value);
  if (characterProblem !== undefined) {
    return { ok: false, problem: characterProblem };
  }
  const [nameAndTag, digest] = splitDigest(value);
  const [name, tag] = splitTag(nameAndTag);
  const problem =
    (digest === undefined ? undefined : findDigestProblem(digest)) ??
    (tag === undefined ? undefined : findTagProblem(tag)) ??
    findNameProblem(name);
  if (problem !== undefined) {
    return { ok: false, problem };
  }
  const ref: ImageRef = splitDomain(name);
  if (tag !== undefined) {
    ref.tag = tag;
  }
  if (digest !== undefined) {
    ref.digest = digest;
  }
  return { ok: true, ref };
}

/** Formats a reference back to `[domain/]path[:tag][@digest]`. */
export function formatImageReference(ref: ImageRef): string {
  const domain = ref.domain === undefined ? '' : `${ref.domain}/`;
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return `${domain}${ref.path}${tag}${digest}`;
}

/**
 * Reports whether the reference names a Docker Hub official image:
 * no domain or a Docker Hub domain, and a path of one component or
 * `library/<name>`.
 */
export function isDockerHubOfficial(ref: ImageRef): boolean {
  if (ref.domain !== undefined && !DOCKER_HUB_DOMAINS.has(ref.domain)) {
    return false;
  }
  const components = ref.path.split('/');
  if (components.length === 1) {
    return true;
  }
  return components.length === 2 && components[0] === 'library';
}

/**
 * Returns the official image name without `library/` (`alpine` for
 * `docker.io/library/alpine:3.22`), or undefined for other images.
 */
export function officialName(ref: ImageRef): string | undefined {
  if (!isDockerHubOfficial(ref)) {
    return undefined;
  }
  return ref.path.replace(/^library\//, '');
}

/** Returns the host for `docker login`: the domain, or `docker.io`. */
export function registryHost(ref: ImageRef): string {
  return ref.domain ?? 'docker.io';
}

function invalidReference(
  what: ImageRole,
  value: string,
  problem: string,
): UsageError {
  const message = `Invalid --${what} ${JSON.stringify(value)}: ${problem}. Expected ${EXPECTED[what]}.`;
  return new UsageError(ERROR_CODE[what], message);
}

function findCharacterProblem(value: string): string | undefined {
  if (value === '') {
    return 'the value is empty';
  }
  if (/\s/.test(value)) {
    return 'it contains whitespace';
  }
  // Control characters are invisible in a terminal, so name them apart.
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return 'it contains control characters';
  }
  const rejected = [...new Set(value)].filter(
    (character) => !REFERENCE_CHARACTERS.test(character),
  );
  if (rejected.length > 0) {
    const list = rejected.map((character) => `"${character}"`).join(', ');
    return `it contains ${list}, which an image reference cannot contain (shell characters are never valid)`;
  }
  return undefined;
}

function splitDigest(value: string): [string, string | undefined] {
  const atSign = value.indexOf('@');
  if (atSign === -1) {
    return [value, undefined];
  }
  return [value.slice(0, atSign), value.slice(atSign + 1)];
}

/** Splits `name:tag`. A ":" before the last "/" belongs to a port. */
function splitTag(value: string): [string, string | undefined] {
  const colon = value.lastIndexOf(':');
  if (colon === -1 || colon < value.lastIndexOf('/')) {
    return [value, undefined];
  }
  return [value.slice(0, colon), value.slice(colon + 1)];
}

function splitDomain(name: string): { domain?: string; path: string } {
  const slash = name.indexOf('/');
  if (slash === -1) {
    return { path: name };
  }
  const first = name.slice(0, slash);
  const isDomain =
    first.includes('.') || first.includes(':') || first === 'localhost';
  if (!isDomain) {
    return { path: name };
  }
  return { domain: first, path: name.slice(slash + 1) };
}

function findDigestProblem(digest: string): string | undefined {
  if (!DIGEST.test(digest)) {
    return `the digest "${digest}" is not of the form algorithm:hex, e.g. sha256: followed by 64 hex digits`;
  }
  const [algorithm, hex] = digest.split(':');
  if (algorithm === 'sha256' && !SHA256_HEX.test(hex)) {
    return `the sha256 digest "${digest}" needs exactly 64 lowercase hex digits`;
  }
  return undefined;
}

function findTagProblem(tag: string): string | undefined {
  if (tag === '') {
    return 'the tag after ":" is empty';
  }
  if (tag.length > MAX_TAG_LENGTH) {
    return `the tag is ${tag.length} characters long, but the maximum is ${MAX_TAG_LENGTH}`;
  }
  if (!TAG.test(tag)) {
    return `the tag "${tag}" must start with a letter, digit or "_" and contain only letters, digits, "_", "." and "-"`;
  }
  return undefined;
}

function findNameProblem(name: string): string | undefined {
  if (name === '') {
    return 'the repository name is empty';
  }
  if (name.length > MAX_NAME_LENGTH) {
    return `the repository name is ${name.length} characters long, but the maximum is ${MAX_NAME_LENGTH}`;
  }
  const { domain, path } = splitDomain(name);
  const domainProblem =
    domain === undefined ? undefined : findDomainProblem(domain);
  return domainProblem ?? findPathProblem(path);
}

function findDomainProblem(domain: string): string | undefined {
  const colon = domain.lastIndexOf(':');
  const hasPort = colon !== -1 && !domain.endsWith(']');
  const host = hasPort ? domain.slice(0, colon) : domain;
  const port = hasPort ? domain.slice(colon + 1) : undefined;
  if (port !== undefined && !PORT.test(port)) {
    return `the registry port "${port}" in "${domain}" must be a number`;
  }
  if (IPV6_HOST.test(host)) {
    return undefined;
  }
  const components = host.split('.');
  if (!components.every((component) => DOMAIN_COMPONENT.test(component))) {
    return `the registry host "${host}" is invalid: use letters, digits and "-" between dots, as in registry.example.com`;
  }
  return undefined;
}

function findPathProblem(path: string): string | undefined {
  for (const component of path.split('/')) {
    const problem = findPathComponentProblem(component);
    if (problem !== undefined) {
      return problem;
    }
  }
  return undefined;
}

function findPathComponentProblem(component: string): string | undefined {
  if (component === '') {
    return 'the path has an empty component (a leading, trailing or doubled "/")';
  }
  if (/[A-Z]/.test(component)) {
    return `"${component}" contains uppercase letters, but repository names are lower case`;
  }
  if (!/^[a-z0-9]/.test(component) || !/[a-z0-9]$/.test(component)) {
    return `the path component "${component}" must start and end with a lowercase letter or digit`;
  }
  if (!PATH_COMPONENT.test(component)) {
    return `the path component "${component}" is invalid: separate lowercase letters and digits with one ".", one or two "_", or one or more "-"`;
  }
  return undefined;
}
