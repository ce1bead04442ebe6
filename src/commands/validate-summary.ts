/** The one-line summary of `gen-ci validate`, naming the schemas used. */
import type { CiName } from '../ci/platforms';
import type { FileReport } from '../validate/check-file';
import type { Finding } from '../validate/findings';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Schema labels in first-use order, then the CIs that had no public one. */
function schemaNotes(reports: readonly FileReport[]): string[] {
  const used: string[] = [];
  const missing: CiName[] = [];
  for (const report of reports) {
    for (const label of report.schemas) {
      if (!used.includes(label)) {
        used.push(label);
      }
    }
    const hasUpstream = report.schemas.some((label) =>
      label.startsWith('upstream '),
    );
    if (report.parsed && !hasUpstream && !missing.includes(report.ci)) {
      missing.push(report.ci);
    }
  }
  const notes = [...used];
  if (missing.length > 0) {
    notes.push(
      `no public schema for ${missing.join(', ')}: run gen-ci schemas update or pass --schema-dir`,
    );
  }
  return notes;
}

export function summaryLine(
  reports: readonly FileReport[],
  findings: readonly Finding[],
): string {
  const errors = findings.filter((finding) => finding.severity === 'error');
  const warnings = findings.length - errors.length;
  const counts = `${plural(reports.length, 'file')} checked: ${plural(errors.length, 'error')}, ${plural(warnings, 'warning')}`;
  const notes = schemaNotes(reports);
  const schemas = notes.length > 0 ? notes.join('; ') : 'none applied';
  return `${counts} (schemas: ${schemas})`;
}
