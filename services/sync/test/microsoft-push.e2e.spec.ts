import { eventually, type GraphCalendarEmulator, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { busEvents } from './support/connector-and-sync';
import { connectMicrosoft, startWithGraph, type WithGraph } from './support/microsoft-connection';
import { type ProApi, signInPro } from './support/pro-api';
import { pushEnv } from './support/provider-emulators';

const PRO = 'pro-graph-push';
const zone = 'W. Europe Standard Time';
let running: WithGraph;
let graph: GraphCalendarEmulator;
let ctx: TestContext;
let connectorUrl: string;
let pro: ProApi;

beforeAll(async () => {
  // Polling is ten minutes away: whatever syncs in these tests was pushed.
  running = await startWithGraph(pushEnv);
  ({ graph } = running);
  ({ ctx, connectorUrl } = running.system);
  pro = await signInPro(running.system, PRO);
});
afterAll(async () => {
  await running?.stop();
});

const upsertedUids = async () =>
  (await busEvents(ctx, 'calendar.event_upserted')).map(
    (e) => (e.data as { eventUid: string }).eventUid,
  );
/** The UID sync knows an Outlook event by: its Graph id, as the adapter marks it. */
const uidOf = (event: { id?: string }) => event.id!;
const notifiedReasons = async () =>
  (await busEvents(ctx, 'calendar.change_notified', 'connector')).map(
    (e) => (e.data as { reason: string }).reason,
  );

const storedSubscriptionId = async (calendarId: string) =>
  (
    await ctx.pool.query<{ provider_subscription_id: string }>(
      `SELECT provider_subscription_id FROM ${ctx.schema}.push_subscriptions WHERE calendar_id = $1`,
      [calendarId],
    )
  ).rows[0]?.provider_subscription_id;

describe('Microsoft Graph subscriptions into sync', () => {
  let connectionId: string;
  let calendarId: string;

  /**
   * An Outlook change reaches sync through this subscription, at once: Graph may notify before
   * the connector has stored the new id, and the connector must take it all the same.
   */
  const changesArriveThrough = async (subscriptionId: string, subject: string, day: string) => {
    const created = graph.asUser.create(null, {
      subject,
      start: { dateTime: `${day}T10:00:00`, timeZone: zone },
      end: { dateTime: `${day}T11:00:00`, timeZone: zone },
    });
    await eventually(async () =>
      expect(await upsertedUids()).toEqual(expect.arrayContaining([uidOf(created)])),
    );
    await graph.notificationsSettled();
    const through = graph.deliveries.filter((d) => d.subscriptionId === subscriptionId);
    expect(through).not.toHaveLength(0);
    expect(through.filter((d) => d.status !== 202)).toEqual([]);
  };

  it('subscribes the connected calendar after the validationToken handshake', async () => {
    const connected = await connectMicrosoft(pro, graph);
    connectionId = connected.connectionId;
    calendarId = connected.calendars[0]!.calendarId;
    const subscription = await eventually(async () => {
      const subscriptions = graph.subscriptions();
      expect(subscriptions).toHaveLength(1);
      return subscriptions[0]!;
    });
    expect(subscription).toMatchObject({
      notificationUrl: `${connectorUrl}/webhooks/microsoft`,
      lifecycleNotificationUrl: `${connectorUrl}/webhooks/microsoft`,
    });
    expect(subscription.clientState).toEqual(expect.any(String));
    await eventually(async () => {
      expect(await storedSubscriptionId(calendarId)).toBe(subscription.id);
    });
  });

  it('syncs a change made in Outlook at once, through the subscription', async () => {
    await eventually(async () =>
      expect(
        (await busEvents(ctx, 'calendar.synced')).some(
          (e) => (e.data as { calendarId: string }).calendarId === calendarId,
        ),
      ).toBe(true),
    );
    const created = graph.asUser.create(null, {
      subject: 'physio',
      start: { dateTime: '2026-12-08T10:00:00', timeZone: zone },
      end: { dateTime: '2026-12-08T11:00:00', timeZone: zone },
    });
    await graph.notificationsSettled();
    expect(graph.deliveries.at(-1)).toMatchObject({ kind: 'change', status: 202 });
    await eventually(async () =>
      expect(await upsertedUids()).toEqual(expect.arrayContaining([uidOf(created)])),
    );
    expect(
      (await busEvents(ctx, 'calendar.synced')).filter(
        (e) => (e.data as { cause: string; changes: number }).cause === 'push',
      ),
    ).not.toHaveLength(0);
  });

  it('answers missed with a delta sync, and reauthorizationRequired with a renewal', async () => {
    const [subscription] = graph.subscriptions();
    const before = subscription!.expirationDateTime;
    graph.lifecycle(subscription!.id, 'missed');
    await eventually(async () => expect(await notifiedReasons()).toContain('missed'));
    graph.lifecycle(subscription!.id, 'reauthorizationRequired');
    await eventually(async () =>
      expect(graph.calls).toContainEqual(
        expect.objectContaining({
          method: 'PATCH',
          path: `/v1.0/subscriptions/${subscription!.id}`,
          status: 200,
        }),
      ),
    );
    expect(graph.subscriptions()[0]!.expirationDateTime >= before).toBe(true);
  });

  it('subscribes again after subscriptionRemoved', async () => {
    const [removed] = graph.subscriptions();
    graph.lifecycle(removed!.id, 'subscriptionRemoved');
    const again = await eventually(async () => {
      const subscriptions = graph.subscriptions();
      expect(subscriptions).toHaveLength(1);
      expect(subscriptions[0]!.id).not.toBe(removed!.id);
      return subscriptions[0]!;
    });
    await changesArriveThrough(again.id, 'after resubscribing', '2026-12-09');
  });

  it('moves the subscription to a new PUBLIC_WEBHOOK_URL when the connector restarts with it', async () => {
    const [before] = graph.subscriptions();
    // Another loopback address reaches the same connector: a new public address for it.
    const movedUrl = connectorUrl.replace('127.0.0.1', '127.0.0.2');
    await running.system.restartConnector({ PUBLIC_WEBHOOK_URL: movedUrl });
    const moved = await eventually(async () => {
      const subscriptions = graph.subscriptions();
      expect(subscriptions).toHaveLength(1);
      expect(subscriptions[0]).toMatchObject({
        notificationUrl: `${movedUrl}/webhooks/microsoft`,
        lifecycleNotificationUrl: `${movedUrl}/webhooks/microsoft`,
      });
      return subscriptions[0]!;
    });
    expect(moved.id).not.toBe(before!.id);
    await changesArriveThrough(moved.id, 'after moving', '2026-12-10');
  });

  it('deletes the subscription on disconnect', async () => {
    await pro.disconnect(connectionId);
    expect(graph.subscriptions()).toHaveLength(0);
  });
});
