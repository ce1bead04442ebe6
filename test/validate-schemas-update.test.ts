/**
 * `gen-ci schemas update` against an HTTP server on 127.0.0.1 that each
 * test starts and stops itself; no request leaves the machine. The served
 * schemas are small ones written for these tests.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/cli';
import { runGenCi, runGenCiAsync } from './helpers/validate-cli';

interface Reply {
  readonly status: number;
  readonly body: string;
}

const SCHEMAS: Record<string, string> = {
  '/travis.json': JSON.stringify({
    $schema: 'http://json-schema.org/draft-04/schema#',
    type: 'object',
    required: ['language'],
  }),
  '/github-workflow.json': JSON.stringify({ type: 'object', required: ['on'] }),
  '/gitlab-ci.json': JSON.stringify({
    type: 'object',
    markdownDescription: 'GitLab',
  }),
};

/** `undefined` leaves the request hanging, to test the timeout. */
type Route = (url: string) => Reply | undefined;

const servers: http.Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(route: Route): Promise<string> {
  const server = http.createServer((request, response) => {
    const reply = route(request.url ?? '/');
    if (reply) {
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(reply.body);
    }
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const schemas: Route = (url) =>
  SCHEMAS[url]
    ? { status: 200, body: SCHEMAS[url] }
    : { status: 404, body: '' };

/** Returns the address of a loopback port that nothing listens on. */
async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function update(baseUrl: string, cacheDir: string, extra: string[] = []) {
  return runGenCiAsync([
    'schemas',
    'update',
    '--base-url',
    baseUrl,
    '--cache-dir',
    cacheDir,
    ...extra,
  ]);
}

function snapshotDir(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
      }
    }
  };
  walk(dir);
  return files;
}

describe('gen-ci schemas update', () => {
  it('downloads the schemas, their sources and compiled code', async () => {
    const baseUrl = await serve(schemas);
    const cacheDir = path.join(tempDir(), 'cache');
    const result = await update(baseUrl, cacheDir);
    expect(result.stderr).toContain(`updated   travis.json`);
    expect(result.status).toBe(0);
    for (const name of [
      'travis.json',
      'github-workflow.json',
      'gitlab-ci.json',
    ]) {
      expect(fs.readFileSync(path.join(cacheDir, name), 'utf8')).toBe(
        SCHEMAS[`/${name}`],
      );
    }
    const sources = JSON.parse(
      fs.readFileSync(path.join(cacheDir, 'sources.json'), 'utf8'),
    );
    expect(sources.travis.url).toBe(`${baseUrl}/travis.json`);
    expect(sources.travis.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readdirSync(path.join(cacheDir, 'compiled'))).toHaveLength(3);
  });

  it('fills the cache that validate reads', async () => {
    const baseUrl = await serve(schemas);
    const cacheDir = tempDir();
    expect((await update(baseUrl, cacheDir)).status).toBe(0);
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, '.travis.yml'), 'os: linux\n');
    const result = runGenCi(['validate'], {
      cwd,
      env: { GEN_CI_SCHEMA_CACHE: cacheDir },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('[upstream-travis]');
    expect(result.stderr).toContain(
      `upstream travis from ${path.join(cacheDir, 'travis.json')}`,
    );
  });

  it('reports unchanged schemas on a second run', async () => {
    const baseUrl = await serve(schemas);
    const cacheDir = tempDir();
    await update(baseUrl, cacheDir);
    const again = await update(baseUrl, cacheDir);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('unchanged travis.json');
  });

  it('reads the address from GEN_CI_SCHEMA_BASE_URL', async () => {
    const baseUrl = await serve(schemas);
    const cacheDir = tempDir();
    const result = await runGenCiAsync(
      ['schemas', 'update', '--cache-dir', cacheDir],
      {
        env: { GEN_CI_SCHEMA_BASE_URL: baseUrl },
      },
    );
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(cacheDir, 'gitlab-ci.json'))).toBe(true);
  });
});

describe('gen-ci schemas update failures', () => {
  async function cacheWithOldSchemas(): Promise<string> {
    const cacheDir = tempDir();
    expect((await update(await serve(schemas), cacheDir)).status).toBe(0);
    return cacheDir;
  }

  it('keeps the old cache when the server answers 500', async () => {
    const cacheDir = await cacheWithOldSchemas();
    const before = snapshotDir(cacheDir);
    const baseUrl = await serve((url) =>
      url === '/github-workflow.json'
        ? { status: 500, body: 'broken' }
        : schemas(url),
    );
    const result = await update(baseUrl, cacheDir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('github-workflow.json: download from');
    expect(result.stderr).toContain('HTTP 500');
    expect(result.stderr).toContain('was left unchanged');
    expect(snapshotDir(cacheDir)).toEqual(before);
  });

  it('keeps the old cache when nothing listens', async () => {
    const cacheDir = await cacheWithOldSchemas();
    const before = snapshotDir(cacheDir);
    const result = await update(await closedPort(), cacheDir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(snapshotDir(cacheDir)).toEqual(before);
  });

  it('rejects a download that is not a JSON Schema', async () => {
    const cacheDir = tempDir();
    const baseUrl = await serve((url) =>
      url === '/travis.json' ? { status: 200, body: '<html>' } : schemas(url),
    );
    const result = await update(baseUrl, cacheDir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('not a usable travis JSON Schema');
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });

  it('gives up after --timeout seconds', async () => {
    const cacheDir = tempDir();
    const baseUrl = await serve((url) =>
      url === '/gitlab-ci.json' ? undefined : schemas(url),
    );
    const result = await update(baseUrl, cacheDir, ['--timeout', '1']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('timed out after 1 s');
  });

  it('rejects a --timeout over one day before any request', async () => {
    let requests = 0;
    const baseUrl = await serve((url) => {
      requests += 1;
      return schemas(url);
    });
    const result = await update(baseUrl, tempDir(), ['--timeout', '1e9']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--timeout 1000000000 is longer than one day');
    expect(requests).toBe(0);
  });

  it('rejects a cache folder that is a file', async () => {
    let requests = 0;
    const baseUrl = await serve((url) => {
      requests += 1;
      return schemas(url);
    });
    const file = path.join(tempDir(), 'afile');
    fs.writeFileSync(file, 'x');
    for (const cacheDir of [file, path.join(file, 'schemas')]) {
      const result = await update(baseUrl, cacheDir);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(file);
      expect(result.stderr).toContain('--cache-dir');
    }
    expect(requests).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('reports a failed cache write with exit 2', async () => {
    const cacheDir = tempDir();
    fs.writeFileSync(path.join(cacheDir, 'compiled'), 'x');
    const result = await update(await serve(schemas), cacheDir);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(path.join(cacheDir, 'compiled'));
  });

  it('stops with exit 2 for a cache under /proc', async () => {
    if (!fs.existsSync('/proc/self')) {
      console.log('skipped: this system has no /proc');
      return;
    }
    const cacheDir = '/proc/gen-ci-test-cache';
    const result = await update(await serve(schemas), cacheDir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(cacheDir);
  });

  it('rejects a base URL that is not http', async () => {
    const result = await runGenCiAsync([
      'schemas',
      'update',
      '--base-url',
      'ftp://127.0.0.1/x',
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--base-url');
  });
});
