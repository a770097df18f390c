/**
 * Where alerts go. An alert's outbox row names its target in the `webhook` column:
 * `slack:owner:<id>` (the owner's incoming webhook), `slack:channel:<name>` (a configured
 * channel) or `email:<id>` (the owner's address), so a config change between enqueue and
 * delivery is noticed (the target is gone: the row is cancelled) rather than misdelivered.
 */
import type { Config } from '../config';
import type { AlertEvent, OwnerConfig } from './config';

export type AlertTarget =
  | { kind: 'slack'; url: string; label: string; owner: OwnerConfig | undefined }
  | { kind: 'email'; to: OwnerConfig };

export const isAlertTarget = (id: string): boolean => id.startsWith('slack:') || id.startsWith('email:');

/** The targets an alert about `owner` fans out to: their own Slack and email, and every channel subscribed. */
export function alertTargets(config: Config, owner: OwnerConfig | undefined, event: AlertEvent): string[] {
  const targets: string[] = [];
  if (owner?.slack_webhook_url) targets.push(`slack:owner:${owner.id}`);
  if (owner && config.alerts.email) targets.push(`email:${owner.id}`);
  for (const channel of config.alerts.slack)
    if (channel.events.includes(event)) targets.push(`slack:channel:${channel.name}`);
  return targets;
}

export function resolveTarget(config: Config, id: string): AlertTarget | undefined {
  const [kind, scope, name] = id.split(':');
  if (kind === 'email') {
    const owner = config.owners.find((o) => o.id === scope);
    return owner && config.alerts.email ? { kind: 'email', to: owner } : undefined;
  }
  if (kind !== 'slack') return undefined;
  if (scope === 'owner') {
    const owner = config.owners.find((o) => o.id === name);
    return owner?.slack_webhook_url
      ? { kind: 'slack', url: owner.slack_webhook_url, label: `slack owner ${owner.id}`, owner }
      : undefined;
  }
  const channel = config.alerts.slack.find((c) => c.name === name);
  return channel
    ? { kind: 'slack', url: channel.url, label: `slack ${channel.name}`, owner: undefined }
    : undefined;
}
