import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { errors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { ROLES } from '#shared/manifest.ts';
import { LOCAL_AUDIENCE, LOCAL_CLIENT_ID, LOCAL_ISSUER, TOKEN_ALGORITHM, TOKEN_TTL_SECONDS } from './auth-config.ts';

type Key = Awaited<ReturnType<typeof importJWK>>;

export interface SigningKeys {
  kid: string;
  privateKey: Key;
  publicKey: Key;
  publicJwk: JWK;
}

/**
 * Loads the local token signing key pair from `<dataDir>/keys/signing-key.json`, creating it on first use, so tokens
 * survive restarts of the stack. Creation is atomic (write aside, then hard-link into place), so a token CLI and the
 * stack starting at once agree on one key.
 */
export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningKeys> {
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'signing-key.json');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: TOKEN_ALGORITHM, use: 'sig' };
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(jwk, null, 2), { mode: 0o600 });
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temp);
    }
  }
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK & { kid: string };
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  return {
    kid: jwk.kid,
    privateKey: await importJWK(jwk, TOKEN_ALGORITHM),
    publicKey: await importJWK(publicJwk, TOKEN_ALGORITHM),
    publicJwk,
  };
}

/**
 * The key list cursors are signed with locally, `<dataDir>/keys/cursor-key`: random, made on first use (atomically, as
 * the signing key), so cursors outlive a restart of the stack and no two data folders share one.
 */
export function loadOrCreateCursorKey(dataDir: string): string {
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'cursor-key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, randomBytes(32).toString('base64url'), { mode: 0o600 });
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temp);
    }
  }
  return readFileSync(file, 'utf8').trim();
}

export interface TokenOptions {
  roles: string[];
  sub?: string;
  /** Lifetime in seconds (default one hour); negative gives an already expired token (tests). */
  expiresInSeconds?: number;
  tokenUse?: 'access' | 'id';
  /** Overrides for tests (wrong issuer, audience). */
  issuer?: string;
  audience?: string;
  extraClaims?: Record<string, unknown>;
}

export class UnknownRoleError extends Error {
  override name = 'UnknownRoleError';
}

/**
 * Signs a token shaped like a Cognito one: `sub`, `cognito:groups` (the roles), `token_use`, `client_id`, `iss`,
 * `aud`, `iat`, `exp`. Unknown roles are refused so a typo does not produce a token that only ever gets 403.
 */
export async function signToken(keys: SigningKeys, options: TokenOptions): Promise<string> {
  const unknown = options.roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new UnknownRoleError(`Unknown role ${unknown.join(', ')}; roles are: ${ROLES.join(', ')}`);
  }
  const sub = options.sub ?? 'local-user';
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    'cognito:groups': options.roles,
    token_use: options.tokenUse ?? 'access',
    client_id: LOCAL_CLIENT_ID,
    username: sub,
    ...options.extraClaims,
  })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: keys.kid, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(options.issuer ?? LOCAL_ISSUER)
    .setAudience(options.audience ?? LOCAL_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? TOKEN_TTL_SECONDS))
    .setJti(randomUUID())
    .sign(keys.privateKey);
}

export type VerifyResult = { ok: true; claims: JWTPayload } | { ok: false; reason: string };

/**
 * Checks a bearer token as API Gateway's JWT authorizer does: signature by the pool's key (RS256 only, so `alg: none`
 * and HMAC tricks fail), issuer, audience, expiry and not-before.
 */
export async function verifyToken(keys: SigningKeys, token: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [TOKEN_ALGORITHM],
      requiredClaims: ['exp', 'iat'],
    });
    return { ok: true, claims: payload };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'The token has expired.' };
    if (error instanceof errors.JWTClaimValidationFailed) {
      return { ok: false, reason: `The token's "${error.claim}" claim is not valid.` };
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return { ok: false, reason: 'The token signature is not valid.' };
    }
    if (error instanceof errors.JOSEAlgNotAllowed) return { ok: false, reason: 'The token algorithm is not accepted.' };
    return { ok: false, reason: 'The token is malformed.' };
  }
}
