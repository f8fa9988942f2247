import { describe, expect, it } from '@jest/globals';
import { ProblemException } from '@cs/platform';
import { ConnectionNotFound, ConnectionRemoved } from '../../domain/connection/connection';
import { orConnectionProblem } from './connection-problems';

const refusal = (error: Error) =>
  orConnectionProblem(() => Promise.reject(error)).catch((thrown: unknown) => thrown);

describe('a refused command on a connection', () => {
  it('is a 404 when the stream holds no connection', async () => {
    const thrown = await refusal(new ConnectionNotFound());
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).problem).toMatchObject({
      status: 404,
      type: expect.stringMatching(/\/not-found$/),
    });
  });

  it('is a 410 when the connection was removed', async () => {
    const thrown = await refusal(new ConnectionRemoved());
    expect((thrown as ProblemException).problem).toMatchObject({
      status: 410,
      type: expect.stringMatching(/\/connection-removed$/),
    });
  });

  it('leaves any other failure as it is', async () => {
    const failure = new Error('database gone');
    expect(await refusal(failure)).toBe(failure);
    await expect(orConnectionProblem(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
