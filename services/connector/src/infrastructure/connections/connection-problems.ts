import { ProblemException } from '@cs/platform';
import { ConnectionNotFound, ConnectionRemoved } from '../../domain/connection/connection';

/**
 * A command on a connection's stream refused because the stream holds no connection, or one
 * removed after the request found it live (a disconnect that committed first): the caller's
 * mistake or bad luck, never a 500.
 */
export async function orConnectionProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConnectionNotFound)
      throw new ProblemException({ status: 404, type: 'not-found', detail: error.message });
    if (error instanceof ConnectionRemoved)
      throw new ProblemException({
        status: 410,
        type: 'connection-removed',
        title: 'Connection removed',
        detail: `${error.message} meanwhile; connect the calendar again to change it`,
      });
    throw error;
  }
}
