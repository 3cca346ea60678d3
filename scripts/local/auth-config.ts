/**
 * The local stand-in for the Cognito user pool: fixed issuer and audience, checked by the local gateway like the
 * HTTP API's JWT authorizer checks Cognito's, and stamped into tokens by `npm run token`.
 */
export const LOCAL_ISSUER = 'http://127.0.0.1/back-office-local-issuer';
export const LOCAL_AUDIENCE = 'back-office-local';
export const LOCAL_CLIENT_ID = 'back-office-local';
/** Tokens from the CLI are valid for one hour (docs/contract.md#conventions). */
export const TOKEN_TTL_SECONDS = 3600;
export const TOKEN_ALGORITHM = 'RS256';
