/**
 * `npm run --silent token -- --role <role> [--role <role>...] [--sub <id>] [--expires-in <seconds>] [--id-token]`
 * prints a JWT the local stack accepts, and nothing else, on stdout. The signing key lives under the local data
 * folder (`.local/keys`, or LOCAL_DATA_DIR) and is created on first use, so tokens survive restarts of the stack.
 */
import { parseArgs } from 'node:util';
import { ROLES } from '#shared/manifest.ts';
import { loadOrCreateSigningKeys, signToken, UnknownRoleError } from './local/auth.ts';
import { defaultDataDir } from './local/paths.ts';

const usage =
  'Usage: npm run --silent token -- --role <role> [--role <role>...] [--sub <id>] ' +
  '[--expires-in <seconds>] [--id-token]\n' +
  `Roles: ${ROLES.join(', ')}`;

try {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true, short: 'r' },
      sub: { type: 'string' },
      'expires-in': { type: 'string' },
      'id-token': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${usage}\n`);
    process.exit(0);
  }
  const roles = values.role ?? [];
  if (roles.length === 0) throw new UnknownRoleError('At least one --role is required.');
  const expiresIn = values['expires-in'] === undefined ? undefined : Number(values['expires-in']);
  if (expiresIn !== undefined && !Number.isInteger(expiresIn)) throw new Error('--expires-in takes whole seconds.');
  if (values.sub !== undefined && values.sub.trim() === '') throw new Error('--sub must not be empty.');

  const keys = await loadOrCreateSigningKeys(defaultDataDir());
  const token = await signToken(keys, {
    roles,
    ...(values.sub !== undefined ? { sub: values.sub } : {}),
    ...(expiresIn !== undefined ? { expiresInSeconds: expiresIn } : {}),
    tokenUse: values['id-token'] ? 'id' : 'access',
  });
  process.stdout.write(`${token}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
  process.exit(1);
}
