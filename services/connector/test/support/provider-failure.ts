import { expect } from '@jest/globals';
import { ProviderError } from '../../src/domain/provider/provider-error';

/** The `ProviderError` a provider call fails with; the test fails if it succeeds or throws anything else. */
export async function failure(call: Promise<unknown>): Promise<ProviderError> {
  const error = await call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}
