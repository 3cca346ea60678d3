import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This repository's root (scripts/local/ → ../..). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The git-ignored folder for DynamoDB data, signing keys and runtime state: `LOCAL_DATA_DIR`, else `.local/`. */
export function defaultDataDir(root: string = PROJECT_ROOT): string {
  return resolve(process.env.LOCAL_DATA_DIR ?? join(root, '.local'));
}
