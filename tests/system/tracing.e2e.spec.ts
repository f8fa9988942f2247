import { eventually, expectStatus, startSystem, type System } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ReceivedSpan, SPAN_KIND, startOtlpReceiver } from './support/otlp-receiver';
import {
  at,
  bookingUid,
  calendarItems,
  connectCalDav,
  invitations,
  people,
  registerClient,
  SERVICE,
  setUpPro,
  setUpTerritory,
  upcomingWeekday,
  waitForSlots,
  type People,
} from './support/scenario';

const PRO = 'pro-tess';
const CLIENT = 'client-otto';
const DATE = upcomingWeekday(8);

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let system: System;
let who: People;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  system = await startSystem({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
  who = await people(system);
}, 180_000);
afterAll(async () => {
  await system?.stop();
  await receiver?.stop();
});

const statusOf = (span: ReceivedSpan) =>
  Number(span.attributes['http.response.status_code'] ?? span.attributes['http.status_code']);

/** The spans between `span` and the root of its trace, nearest first. */
function ancestors(span: ReceivedSpan, byId: ReadonlyMap<string, ReceivedSpan>): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  for (let at = span.parentSpanId; at; at = byId.get(at)?.parentSpanId) {
    const parent = byId.get(at);
    if (!parent) break;
    chain.push(parent);
  }
  return chain;
}

describe('tracing across the chain', () => {
  it('shows one booking as one trace: the HTTP request, its event, the availability projection, the calendar write-back through the connector and the invitation mails', async () => {
    await setUpTerritory(system, who);
    await setUpPro(system, who, PRO);
    await registerClient(system, who, CLIENT);
    await connectCalDav(system, who, PRO, {
      serverUrl: system.caldav.url,
      username: system.caldav.username,
      password: system.caldav.password,
    });
    await waitForSlots(system, who, PRO, DATE);
    const clientToken = await who.client(CLIENT);
    const booked = await eventually(
      () =>
        expectStatus<{ bookingId: string }>(201, system, 'booking', 'POST', '/v1/bookings', {
          token: clientToken,
          body: {
            serviceId: SERVICE,
            proId: PRO,
            start: at(DATE, '11:00'),
            client: { clientId: CLIENT, timeZone: 'Europe/Amsterdam', locale: 'en' },
          },
        }),
      30_000,
      500,
    );
    const uid = bookingUid(booked.bookingId);
    await eventually(async () => {
      expect((await calendarItems(system.caldav)).map((i) => i.uid)).toContain(uid);
      expect(invitations(system).filter((i) => i.uid === uid)).toHaveLength(2);
    }, 30_000);

    // Spans leave each service in batches (every 5 s): wait for the whole tree.
    const tree = await eventually(
      async () => {
        const request = receiver
          .spans()
          .find(
            (s) =>
              s.service === 'booking' &&
              s.kind === SPAN_KIND.server &&
              s.name === 'POST /v1/bookings' &&
              statusOf(s) === 201,
          );
        expect(request).toBeDefined();
        const spans = receiver.spans().filter((s) => s.traceId === request!.traceId);
        const byId = new Map(spans.map((s) => [s.spanId, s]));
        const under = (s: ReceivedSpan) => ancestors(s, byId).includes(request!);
        const find = (what: string, where: (s: ReceivedSpan) => boolean) => {
          const found = spans.find((s) => where(s) && under(s));
          expect({ [what]: found !== undefined }).toEqual({ [what]: true });
          return found!;
        };
        const sent = find(
          'booking publishes booking.confirmed',
          (s) =>
            s.service === 'booking' &&
            s.kind === SPAN_KIND.producer &&
            s.name === 'send booking.confirmed',
        );
        const consumed = (service: string) =>
          find(
            `${service} consumes booking.confirmed`,
            (s) =>
              s.service === service &&
              s.kind === SPAN_KIND.consumer &&
              s.attributes['messaging.message.id'] === sent.attributes['messaging.message.id'],
          );
        const writeBack = find(
          'sync writes the booking back',
          (s) => s.service === 'sync' && s.name === 'sync write-back',
        );
        // What the write-back and notification's handling record carries the trace onward.
        find(
          'sync records the copy it wrote',
          (s) =>
            s.service === 'sync' &&
            s.name === 'send calendar.booking_mirrored' &&
            ancestors(s, byId).includes(writeBack),
        );
        find(
          'notification schedules the invitation',
          (s) => s.service === 'notification' && s.name === 'send notification.scheduled',
        );
        // Sync asks the connector to write over NATS request/reply; the connector answers in the trace.
        const ask = find(
          'sync asks the connector to write',
          (s) =>
            s.service === 'sync' &&
            s.kind === SPAN_KIND.client &&
            s.name === 'request connector.write' &&
            ancestors(s, byId).includes(writeBack),
        );
        const answer = find(
          'the connector answers the write',
          (s) =>
            s.service === 'connector' &&
            s.kind === SPAN_KIND.server &&
            s.name === 'reply connector.write' &&
            s.parentSpanId === ask.spanId,
        );
        // The invitations go out later, from the delivery queue, still in the booking's trace:
        // one delivery per recipient, each with its SMTP exchange.
        const deliveries = spans.filter(
          (s) => s.service === 'notification' && s.name === 'deliver invitation' && under(s),
        );
        const mails = spans.filter(
          (s) =>
            s.service === 'notification' &&
            s.kind === SPAN_KIND.client &&
            s.name === 'smtp send' &&
            deliveries.some((d) => d.spanId === s.parentSpanId),
        );
        expect({ deliveries: deliveries.length, mails: mails.length }).toEqual({
          deliveries: 2,
          mails: 2,
        });
        return {
          request: request!,
          sent,
          availability: consumed('availability'),
          sync: consumed('sync'),
          notification: consumed('notification'),
          writeBack,
          ask,
          answer,
          mails,
        };
      },
      30_000,
      500,
    );

    // Every consumer continues the publishing span; what they append carries the trace onward.
    for (const consumer of [tree.availability, tree.sync, tree.notification]) {
      expect(consumer.parentSpanId).toBe(tree.sent.spanId);
      expect(consumer.attributes).toMatchObject({
        'messaging.system': 'nats',
        'messaging.operation.type': 'process',
        'messaging.destination.name': expect.stringContaining('.booking.booking.confirmed.'),
      });
    }
    expect(tree.request.attributes['http.route']).toBe('/v1/bookings');
    expect(tree.ask.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': expect.stringContaining('.write'),
    });
    expect(tree.answer.attributes['messaging.destination.name']).toBe(
      tree.ask.attributes['messaging.destination.name'],
    );
    // Each mail names the server by host and port only.
    for (const mail of tree.mails) {
      // OTLP JSON may carry an int64 as a string.
      const port = Number(mail.attributes['server.port']);
      expect({ ...mail.attributes, 'server.port': port }).toEqual({
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(system.smtp.url).port),
        'network.protocol.name': 'smtp',
      });
    }
  }, 180_000);
});
