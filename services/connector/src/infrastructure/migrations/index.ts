import { ConnectorConnections0000000100001 } from './0000000100001-connections';
import { ConnectorOauthStates0000000100002 } from './0000000100002-oauth-states';
import { ConnectorPushSubscriptions0000000100003 } from './0000000100003-push-subscriptions';
import { ConnectorPushNotificationUrl0000000100004 } from './0000000100004-push-notification-url';
import { ConnectorPushSecretChanges0000000100005 } from './0000000100005-push-secret-changes';

/** Connections with their calendars, OAuth states and push subscriptions. */
export const connectorMigrations = [
  ConnectorConnections0000000100001,
  ConnectorOauthStates0000000100002,
  ConnectorPushSubscriptions0000000100003,
  ConnectorPushNotificationUrl0000000100004,
  ConnectorPushSecretChanges0000000100005,
];
