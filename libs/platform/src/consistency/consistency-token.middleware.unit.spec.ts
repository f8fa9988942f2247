import { describe, expect, it } from '@jest/globals';
import express, { type Request, type Response } from 'express';
import request from 'supertest';
import { CONSISTENCY_TOKEN_HEADER, decodeConsistencyToken } from './consistency-token';
import { ConsistencyTokenMiddleware } from './consistency-token.middleware';
import { recordWritten } from './written-positions';

const header = CONSISTENCY_TOKEN_HEADER.toLowerCase();

/** Records a write after an await, as a command handler does once its transaction committed. */
const writing =
  (status: number, streamId = 'pro-1') =>
  async (_req: Request, res: Response) => {
    await new Promise((r) => setImmediate(r));
    recordWritten('availability', streamId, 3);
    res.status(status).json({ ok: status < 400 });
  };

const app = express();
const middleware = new ConsistencyTokenMiddleware();
app.use((req, res, next) => middleware.use(req, res, next));
app.post('/write', writing(200));
app.post('/write-then-refuse', writing(409));
app.post('/nothing', (_req, res) => void res.status(201).json({}));
app.get('/read', writing(200));

describe('the consistency token of an answer', () => {
  it('names what a command committed, the write recorded after an await', async () => {
    const answer = await request(app).post('/write').expect(200);
    expect(decodeConsistencyToken(answer.headers[header]!)).toEqual([
      { context: 'availability', streamId: 'pro-1', version: 3 },
    ]);
  });

  it('is left off a command that wrote nothing or whose answer is a refusal', async () => {
    expect((await request(app).post('/nothing').expect(201)).headers[header]).toBeUndefined();
    const refused = await request(app).post('/write-then-refuse').expect(409);
    expect(refused.headers[header]).toBeUndefined();
  });

  it('is never collected for a read, which runs no command', async () => {
    expect((await request(app).get('/read').expect(200)).headers[header]).toBeUndefined();
  });

  it('belongs to its own request when commands run at once', async () => {
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((id) => {
        const local = express();
        local.use((req, res, next) => middleware.use(req, res, next));
        local.post('/write', writing(200, `pro-${id}`));
        return request(local).post('/write');
      }),
    );
    expect(answers.map((a) => decodeConsistencyToken(a.headers[header]!)![0]!.streamId)).toEqual([
      'pro-a',
      'pro-b',
      'pro-c',
    ]);
  });
});
