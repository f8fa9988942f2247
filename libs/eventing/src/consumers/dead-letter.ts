import { headers } from '@nats-io/transport-node';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';

export const DEAD_LETTER_HEADERS = {
  reason: 'Cs-Dead-Letter-Reason',
  consumer: 'Cs-Dead-Letter-Consumer',
  subject: 'Cs-Original-Subject',
  streamSeq: 'Cs-Original-Stream-Seq',
} as const;

/** Parks a message that cannot be applied, with the reason, where people and tools can find it. */
export async function deadLetter(
  js: JetStreamClient,
  subject: string,
  consumer: string,
  msg: JsMsg,
  reason: string,
) {
  const h = headers();
  h.set(DEAD_LETTER_HEADERS.reason, reason.replace(/[\r\n]+/g, ' ').slice(0, 1000));
  h.set(DEAD_LETTER_HEADERS.consumer, consumer);
  h.set(DEAD_LETTER_HEADERS.subject, msg.subject);
  h.set(DEAD_LETTER_HEADERS.streamSeq, String(msg.seq));
  await js.publish(subject, msg.data, {
    headers: h,
    msgID: `dlq:${consumer}:${msg.info.stream}:${msg.seq}`,
  });
}
