/**
 * The actions that the GitHub Actions workflow uses, each with the major
 * version that `--pin-actions major` writes and a full commit SHA of one
 * release in that major version for `--pin-actions sha`.
 *
 * NOTE: gen-ci cannot reach GitHub, so no SHA below was read from its
 * action's repository. Each is the SHA that several public workflows pin
 * with the release in a `# vX.Y.Z` comment, as found in 2026-12; check
 * them with `git ls-remote https://github.com/OWNER/ACTION refs/tags/vX.Y.Z`
 * before relying on them.
 */
import type { PinMode } from '../options';

export interface ActionPin {
  /** `owner/name` on GitHub. */
  readonly action: string;
  readonly major: string;
  readonly release: string;
  /** Full 40-digit commit SHA of `release`. */
  readonly sha: string;
}

export const ACTION_PINS = {
  checkout: {
    action: 'actions/checkout',
    major: 'v7',
    release: 'v7.0.1',
    sha: '3d3c42e5aac5ba805825da76410c181273ba90b1',
  },
  setupQemu: {
    action: 'docker/setup-qemu-action',
    major: 'v4',
    release: 'v4.2.0',
    sha: '96fe6ef7f33517b61c61be40b68a1882f3264fb8',
  },
  setupBuildx: {
    action: 'docker/setup-buildx-action',
    major: 'v4',
    release: 'v4.3.0',
    sha: '37fe631027851001ddb9b187196cc803df7f5f0e',
  },
  login: {
    action: 'docker/login-action',
    major: 'v4',
    release: 'v4.6.0',
    sha: 'dbcb813823bdd20940b903addbd779551569679f',
  },
  buildPush: {
    action: 'docker/build-push-action',
    major: 'v7',
    release: 'v7.3.0',
    sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a',
  },
  metadata: {
    action: 'docker/metadata-action',
    major: 'v6',
    release: 'v6.2.0',
    sha: 'dc802804100637a589fabce1cb79ff13a1411302',
  },
  uploadArtifact: {
    action: 'actions/upload-artifact',
    major: 'v7',
    release: 'v7.0.1',
    sha: '043fb46d1a93c77aae656e7c1c64a875d1fc6a0a',
  },
  downloadArtifact: {
    action: 'actions/download-artifact',
    major: 'v8',
    release: 'v8.0.1',
    sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c',
  },
} as const satisfies Record<string, ActionPin>;

export type ActionName = keyof typeof ACTION_PINS;

/** A step's `uses:` value and the comment that names a SHA's release. */
export interface ActionReference {
  readonly uses: string;
  /** Empty unless the reference is a SHA. */
  readonly release: string;
}

export function actionReference(
  name: ActionName,
  mode: PinMode,
): ActionReference {
  const pin: ActionPin = ACTION_PINS[name];
  if (mode === 'sha') {
    return { uses: `${pin.action}@${pin.sha}`, release: pin.release };
  }
  return { uses: `${pin.action}@${pin.major}`, release: '' };
}
