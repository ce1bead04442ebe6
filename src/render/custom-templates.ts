/**
 * Checks a folder of custom templates (`--templates DIR`) before rendering.
 * Each `.hbs` file must have the relative path of a built-in template, so
 * that a misspelt name fails instead of being ignored. Files under
 * `partials/` may also add partials of the user's own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suggestNearest } from '../arch/suggest';
import { UsageError } from '../errors';
import { BUILTIN_TEMPLATE_DIR, listTemplates, PARTIALS_DIR } from './templates';

/** `partials/<name>.hbs`: TemplateSet registers these, not subfolders. */
function isPartial(name: string): boolean {
  const [folder, file, ...rest] = name.split('/');
  return folder === PARTIALS_DIR && file !== undefined && rest.length === 0;
}

function checkIsFolder(dir: string): void {
  let isFolder = false;
  try {
    isFolder = fs.statSync(dir).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) {
    throw new UsageError(
      'TEMPLATE_INVALID',
      `--templates ${dir} is not a folder; pass the folder that holds your .hbs files`,
    );
  }
}

/**
 * Rejects a `partials` entry that is not a folder. TemplateSet would fail
 * with ENOTDIR on a file, and would skip a broken link without a word.
 */
function checkPartialsFolder(dir: string): void {
  const partials = path.join(dir, PARTIALS_DIR);
  if (!fs.lstatSync(partials, { throwIfNoEntry: false })) {
    return;
  }
  let isFolder = false;
  try {
    isFolder = fs.statSync(partials).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) {
    throw new UsageError(
      'TEMPLATE_INVALID',
      `${partials} is not a folder; make it the folder of your partials/*.hbs files or remove it`,
    );
  }
}

/**
 * Returns the template folders to search before the built-in one: `dir`,
 * or none without it. Throws TEMPLATE_INVALID for a missing folder or a
 * template that replaces nothing.
 */
export function customTemplateDirs(dir: string | undefined): string[] {
  if (dir === undefined) {
    return [];
  }
  checkIsFolder(dir);
  checkPartialsFolder(dir);
  const builtin = listTemplates(BUILTIN_TEMPLATE_DIR);
  const replaceable = builtin.filter(
    (name) => !name.startsWith(`${PARTIALS_DIR}/`),
  );
  for (const name of listTemplates(dir)) {
    if (isPartial(name) || builtin.includes(name)) {
      continue;
    }
    const hint = suggestNearest(name, builtin);
    throw new UsageError(
      'TEMPLATE_INVALID',
      `${path.join(dir, name)} replaces no built-in template${hint ? ` (did you mean "${hint}"?)` : ''}; built-in templates: ${replaceable.join(', ')}, and partials/*.hbs`,
    );
  }
  return [dir];
}
