import { ProblemException } from '@cs/platform';

/** `If-Match: "3"` or `If-Match: 3`: the version the caller last saw. */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined) return undefined;
  const version = Number(ifMatch.replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isInteger(version) || version < 0) {
    throw new ProblemException({
      status: 400,
      type: 'bad-request',
      detail: 'If-Match must be a version number',
    });
  }
  return version;
}
