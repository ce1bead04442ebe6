/**
 * Reads and cleans the loopback registry through the Docker Registry HTTP
 * API V2, so that the tests check what the pipeline pushed, not what the
 * local daemon holds.
 */

const LIST_TYPES = [
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
];
const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
];

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface ListEntry {
  readonly digest: string;
  readonly platform: Platform;
}

async function request(url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, {
    ...init,
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok && response.status !== 404) {
    throw new Error(
      `${init.method ?? 'GET'} ${url} failed: HTTP ${response.status} ${await response.text()}`,
    );
  }
  return response;
}

function manifestUrl(registry: string, repository: string, reference: string) {
  return `http://${registry}/v2/${repository}/manifests/${reference}`;
}

/** Returns the entries of a manifest list; throws for a single image. */
export async function getManifestList(
  registry: string,
  repository: string,
  reference: string,
): Promise<ListEntry[]> {
  const url = manifestUrl(registry, repository, reference);
  const response = await request(url, {
    headers: { Accept: LIST_TYPES.join(', ') },
  });
  if (response.status === 404) {
    throw new Error(`${url}: no such manifest in the registry`);
  }
  const body = (await response.json()) as {
    mediaType?: string;
    manifests?: { digest: string; platform?: Platform }[];
  };
  const mediaType =
    body.mediaType ?? response.headers.get('content-type') ?? '';
  if (!LIST_TYPES.includes(mediaType) || body.manifests === undefined) {
    throw new Error(
      `${url} is ${mediaType || 'of unknown type'}, not a manifest list`,
    );
  }
  return body.manifests.map((entry) => {
    if (entry.platform === undefined) {
      throw new Error(`${url}: entry ${entry.digest} has no platform`);
    }
    return { digest: entry.digest, platform: entry.platform };
  });
}

/** Returns the platform recorded in an image's config blob. */
export async function getImagePlatform(
  registry: string,
  repository: string,
  digest: string,
): Promise<Platform> {
  const url = manifestUrl(registry, repository, digest);
  const response = await request(url, {
    headers: { Accept: MANIFEST_TYPES.join(', ') },
  });
  const manifest = (await response.json()) as { config?: { digest: string } };
  if (manifest.config === undefined) {
    throw new Error(`${url} is not an image manifest`);
  }
  const blob = `http://${registry}/v2/${repository}/blobs/${manifest.config.digest}`;
  const config = (await (await request(blob)).json()) as Platform;
  return {
    os: config.os,
    architecture: config.architecture,
    variant: config.variant,
  };
}

/** Deletes every tag of a repository; returns the tags deleted. */
export async function deleteAllTags(
  registry: string,
  repository: string,
): Promise<string[]> {
  const list = await request(`http://${registry}/v2/${repository}/tags/list`);
  if (list.status === 404) {
    return [];
  }
  const tags = ((await list.json()) as { tags?: string[] | null }).tags ?? [];
  for (const tag of tags) {
    const url = manifestUrl(registry, repository, tag);
    const accept = [...LIST_TYPES, ...MANIFEST_TYPES].join(', ');
    const head = await request(url, {
      method: 'HEAD',
      headers: { Accept: accept },
    });
    const digest = head.headers.get('docker-content-digest');
    if (head.status !== 404 && digest) {
      await request(manifestUrl(registry, repository, digest), {
        method: 'DELETE',
      });
    }
  }
  return tags;
}

/** `linux/arm/v7`; arm64 and arm64/v8 are one platform, as in containerd. */
export function formatPlatform(platform: Platform): string {
  const variant =
    platform.architecture === 'arm64' && platform.variant === 'v8'
      ? undefined
      : platform.variant;
  return [platform.os, platform.architecture, variant]
    .filter(Boolean)
    .join('/');
}
