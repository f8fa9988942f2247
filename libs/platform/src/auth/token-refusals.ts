import { errors } from 'jose';

const MISSING: Record<string, string> = {
  exp: 'The token has no expiry (exp)',
  iat: 'The token has no issue time (iat)',
  aud: 'The token names no audience (aud)',
  iss: 'The token names no issuer (iss)',
};

const FAILED: Record<string, string> = {
  aud: 'The token is meant for another audience (aud)',
  iss: 'The token comes from another issuer (iss)',
  iat: 'The token is issued in the future (iat)',
  nbf: 'The token is not valid yet (nbf)',
};

/**
 * Why jose refused a token, in words that name the reason; never the token or its claims'
 * values, which a caller could have crafted to land in our answers.
 */
export function claimRefusal(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat'
      ? 'The token is older than the longest lifetime allowed (iat)'
      : 'The token has expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reasons = error.reason === 'missing' ? MISSING : FAILED;
    return reasons[error.claim] ?? `The token's ${error.claim} claim is not accepted`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return 'The token is signed with an algorithm not accepted here (alg)';
  }
  return 'The token is invalid';
}
