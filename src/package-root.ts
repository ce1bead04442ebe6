/**
 * The root folder of the gen-ci package, which contains `templates/`,
 * `schemas/` and `dist/`. Modules build their paths from here, because
 * this file sits one level below the root in `src/` and `dist/` alike,
 * and so does the bundle that `npm run build` writes to `dist/`.
 */
import * as path from 'node:path';

export const PACKAGE_ROOT = path.join(__dirname, '..');
