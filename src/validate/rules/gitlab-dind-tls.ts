import type { CiJob, LintRule, RuleHit, Variable } from '../lint/types';
import { scalarText } from '../lint/values';

/**
 * The docker image with a dind tag, with or without a registry or mirror
 * prefix and a digest. Docker Hub tags it as `dind`, `29-dind`,
 * `29.1-dind`, `29.1.2-dind`, `29.1.2-dind-rootless` or
 * `29.1.2-dind-alpine3.22`, so the version part is optional and may be
 * major only.
 */
const DIND_SERVICE =
  /(?:^|\/)docker:(?:([\w.-]*?)-)?dind(?:-[\w.-]+)?(?:@sha256:[0-9a-f]+)?$/;
const RELEASE = /^(\d+)(?:\.(\d+))?/;
const PORT = /:(\d+)\/?$/;

/**
 * Tells whether docker:dind enables TLS, which it does by default from
 * Docker 19.03 on. A major-only `19` tag is 19.03, the only 19 release.
 * Tags without a release number (`dind`, `rc-dind`) follow the current one.
 */
function dindDefaultsToTls(image: string): boolean {
  const version = DIND_SERVICE.exec(image)?.[1];
  const release = RELEASE.exec(version ?? '');
  if (!release) {
    return true;
  }
  const major = Number(release[1]);
  const minor = release[2] === undefined ? 3 : Number(release[2]);
  return major > 19 || (major === 19 && minor >= 3);
}

function text(variable: Variable | undefined): string | undefined {
  return variable === undefined
    ? undefined
    : (scalarText(variable.value) ?? '');
}

function tlsCertificatesSet(job: CiJob): boolean {
  const certDir = text(job.variables.DOCKER_TLS_CERTDIR);
  const verify = text(job.variables.DOCKER_TLS_VERIFY);
  const certPath = text(job.variables.DOCKER_CERT_PATH);
  return (
    (certDir !== undefined && certDir !== '') ||
    (verify !== undefined && verify !== '' && verify !== '0') ||
    (certPath !== undefined && certPath !== '')
  );
}

function checkJob(job: CiJob): RuleHit | undefined {
  const dind = job.services.find((service) => DIND_SERVICE.test(service.text));
  const host = job.variables.DOCKER_HOST;
  const port = PORT.exec(text(host) ?? '')?.[1];
  if (!dind || !host || !port) {
    return undefined;
  }
  const certDir = text(job.variables.DOCKER_TLS_CERTDIR);
  if (port === '2375' && tlsCertificatesSet(job)) {
    return {
      pointer: host.pointer,
      message: `job ${job.name}: DOCKER_HOST uses port 2375 (plain TCP), but TLS certificates are set, and docker:dind with TLS listens only on 2376; use tcp://docker:2376 or set DOCKER_TLS_CERTDIR: ""`,
    };
  }
  if (
    port === '2375' &&
    certDir === undefined &&
    dindDefaultsToTls(dind.text)
  ) {
    return {
      pointer: host.pointer,
      message: `job ${job.name}: DOCKER_HOST uses port 2375, but ${dind.text} enables TLS on 2376 unless DOCKER_TLS_CERTDIR is set to ""; set DOCKER_TLS_CERTDIR: "" or use TLS on 2376`,
    };
  }
  if (port === '2376' && certDir === '') {
    return {
      pointer: host.pointer,
      message: `job ${job.name}: DOCKER_HOST uses port 2376 (TLS), but DOCKER_TLS_CERTDIR is empty, so docker:dind listens without TLS on 2375; use tcp://docker:2375 or set DOCKER_TLS_CERTDIR: "/certs"`,
    };
  }
  return undefined;
}

export const gitlabDindTlsRule: LintRule = {
  id: 'gitlab-dind-tls',
  severity: 'error',
  reason:
    'a DOCKER_HOST port that does not match the TLS setting of the docker:dind service makes every docker command fail to connect',
  cis: ['gitlab'],
  check(context) {
    const hits = new Map<string, RuleHit>();
    for (const job of context.jobs.filter((entry) => !entry.hidden)) {
      const hit = checkJob(job);
      if (hit) {
        hits.set(`${hit.pointer}\u0000${hit.message}`, hit);
      }
    }
    return [...hits.values()];
  },
};
