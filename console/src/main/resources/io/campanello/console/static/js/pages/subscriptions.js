// The caller's subscriptions with their health: circuit, failures, the endpoint's last answer, what waits.
import { api, h, load, badge, table, time } from '../api.js';

export const title = 'Subscriptions';

export function render(page) {
  const list = h('div', { id: 'subscriptions' });
  page.replaceChildren(h('h1', {}, 'Subscriptions'), list);
  load(list, async () => {
    const subscriptions = await api('/v1/subscriptions');
    if (subscriptions.length === 0) return h('p', { class: 'muted' }, 'No subscriptions yet.');
    const healths = await Promise.all(subscriptions.map((s) =>
      api(`/v1/subscriptions/${encodeURIComponent(s.id)}/health`).catch(() => null)));
    const rows = subscriptions.map((s, i) => ({ ...s, health: healths[i] }));
    return table([
      { label: 'Subscription', value: (s) => h('a', { href: `#/subscriptions/${s.id}`, class: 'subscription' }, s.id) },
      { label: 'Endpoint', value: (s) => h('code', {}, s.url) },
      { label: 'Event types', value: (s) => (s.eventTypes || []).join(', ') },
      { label: 'Status', value: (s) => badge(s.status) },
      { label: 'Circuit', value: (s) => (s.health ? badge(s.health.circuit) : '—') },
      { label: 'Failures', num: true, value: (s) => (s.health ? s.health.consecutiveFailures : '—') },
      { label: 'Last answer', value: (s) => lastAnswer(s.health) },
      { label: 'Waiting', num: true, value: (s) => waiting(s.health) },
    ], rows, (s) => ({ 'data-subscription': s.id }));
  });
}

export function lastAnswer(health) {
  if (!health || !health.lastAttemptAt) return h('span', { class: 'muted' }, 'no attempt yet');
  return h('span', {}, health.lastStatus ? badge(health.lastStatus) : '', ' ', health.lastError || '',
    h('div', { class: 'muted' }, time(health.lastAttemptAt)));
}

function waiting(health) {
  if (!health || !health.waiting) return '—';
  const w = health.waiting;
  return w.inFlight + w.queued + w.deferred + w.retrying;
}
