/**
 * `gen-ci validate` on a corpus of real multi-architecture CI files. The
 * findings are compared with a reviewed snapshot; the review notes beside
 * it state for each group whether it is a real problem or a documented
 * false positive of a public schema. Set GEN_CI_UPDATE_SNAPSHOTS=1 to
 * rewrite the snapshots, then review the diff and the notes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CI_NAMES } from '../src/ci/platforms';
import { loadActionlint } from '../src/validate/actionlint';
import { checkCiText } from '../src/validate/check-file';
import {
  compareFindings,
  formatFinding,
  type Finding,
} from '../src/validate/findings';
import { UpstreamSchemas } from '../src/validate/upstream/loader';
import { tempDir } from './helpers/cli';
import { sharedAvailable, sharedPath } from './helpers/shared';
import { UPDATING } from './helpers/snapshots';
import { runGenCi, sharedSchemaFlags } from './helpers/validate-cli';

const FIXTURE_DIR = path.join(__dirname, 'fixtures', 'validate');
const FINDINGS_FILE = path.join(FIXTURE_DIR, 'realworld-findings.txt');
const ACTIONLINT_FILE = path.join(FIXTURE_DIR, 'realworld-actionlint.txt');
const REVIEW_FILE = path.join(FIXTURE_DIR, 'realworld-findings.md');

interface CorpusFile {
  readonly ci: (typeof CI_NAMES)[number];
  /** Path below the corpus folder, as printed in the snapshot. */
  readonly name: string;
  readonly text: string;
}

function corpus(): CorpusFile[] {
  return CI_NAMES.flatMap((ci) => {
    const dir = sharedPath(`realworld/${ci}`);
    return fs
      .readdirSync(dir)
      .sort()
      .map((file) => ({
        ci,
        name: `${ci}/${file}`,
        text: fs.readFileSync(path.join(dir, file), 'utf8'),
      }));
  });
}

function schemaFindings(files: readonly CorpusFile[]): Finding[] {
  const upstream = new UpstreamSchemas({
    schemaDirs: [
      sharedPath('upstream/schemastore/schemas/json'),
      sharedPath('upstream/gitlab'),
    ],
    cacheDir: tempDir('gen-ci-cache-'),
  });
  return files.flatMap(
    (file) =>
      checkCiText(file.name, file.text, file.ci, {
        upstream,
        builtin: 'generated',
        lint: true,
      }).findings,
  );
}

function asText(findings: readonly Finding[]): string {
  return [...findings]
    .sort(compareFindings)
    .map((finding) => `${formatFinding(finding)}\n`)
    .join('');
}

function compareWithSnapshot(file: string, actual: string): void {
  if (UPDATING) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  expect(
    fs.existsSync(file),
    `${file} is missing; run with GEN_CI_UPDATE_SNAPSHOTS=1`,
  ).toBe(true);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

/** Rule ids in a snapshot, each of which the review notes must discuss. */
function rulesOf(snapshot: string): string[] {
  const rules = [...snapshot.matchAll(/\[([\w.-]+)\]$/gm)].map(
    (match) => match[1],
  );
  return [...new Set(rules)].sort();
}

const available =
  sharedAvailable('realworld') &&
  sharedAvailable('upstream/schemastore/schemas/json') &&
  sharedAvailable('upstream/gitlab/ci.json');

describe.runIf(available)('real-world corpus', () => {
  it('matches the reviewed findings snapshot', () => {
    const files = corpus();
    expect(files).toHaveLength(35);
    compareWithSnapshot(FINDINGS_FILE, asText(schemaFindings(files)));
  });

  it('matches the reviewed actionlint snapshot', async () => {
    const actionlint = await loadActionlint();
    if (!actionlint) {
      console.log('skipped: the actionlint package is not installed');
      return;
    }
    const workflows = corpus().filter((file) => file.ci === 'github');
    const findings: Finding[] = [];
    for (const file of workflows) {
      findings.push(...(await actionlint.lint(file.text, file.name)));
    }
    compareWithSnapshot(ACTIONLINT_FILE, asText(findings));
  });

  it('has a review note for every rule in the snapshots', () => {
    const review = fs.readFileSync(REVIEW_FILE, 'utf8');
    const snapshots = [FINDINGS_FILE, ACTIONLINT_FILE]
      .filter((file) => fs.existsSync(file))
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('');
    for (const rule of rulesOf(snapshots)) {
      expect(review, `no review note for ${rule}`).toContain(`\`${rule}\``);
    }
  });

  it('runs through the command line without a crash', () => {
    for (const ci of CI_NAMES) {
      const dir = sharedPath(`realworld/${ci}`);
      const files = fs
        .readdirSync(dir)
        .sort()
        .map((name) => path.join(dir, name));
      const result = runGenCi([
        'validate',
        '--ci',
        ci,
        ...sharedSchemaFlags(),
        ...files,
      ]);
      expect(result.stderr).not.toContain('internal error');
      expect([0, 1]).toContain(result.status);
      expect(result.stderr).toMatch(
        new RegExp(`^${files.length} files checked: `, 'm'),
      );
    }
  });
});
