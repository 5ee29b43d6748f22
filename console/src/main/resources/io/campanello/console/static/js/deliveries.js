// A list of deliveries from the history (an endpoint's log, an event's trace), with "more" for the next page.
import { h, show, badge, table, text, time, load, problemBox, Problem } from './api.js';
import { history, historyUnavailable, rowsOf, nextCursorOf } from './history.js';

const COLUMNS = [
  { label: 'Delivery', value: (d) => h('a', { href: `#/deliveries/${d.id || d.deliveryId}`, class: 'delivery' },
    d.id || d.deliveryId) },
  { label: 'Subscription', value: (d) => (d.subscriptionId
    ? h('a', { href: `#/subscriptions/${d.subscriptionId}` }, d.subscriptionId) : '—') },
  { label: 'Event', value: (d) => h('span', {}, text(d.eventType || d.type), h('div', { class: 'muted' }, text(d.eventId))) },
  { label: 'Status', value: (d) => badge(d.status) },
  { label: 'Attempts', num: true, value: (d) => (Array.isArray(d.attempts) ? d.attempts.length : text(d.attempts)) },
  { label: 'Last answer', value: (d) => h('span', {}, d.lastStatus ? badge(d.lastStatus) : '', ' ', d.lastError || '') },
  { label: 'When', value: (d) => time(d.lastAttemptAt || d.updatedAt || d.createdAt || d.at) },
  { label: 'Next attempt', value: (d) => time(d.nextAttemptAt) },
];

/** Loads path?query into container, newest first as the history sends them, and pages on with the cursor. */
export function deliveryLog(container, path, query) {
  load(container, async () => {
    const first = await history(path, query);
    if (!first.available) return historyUnavailable(first.problem);
    const rows = rowsOf(first.body);
    if (rows.length === 0) return h('p', { class: 'muted', id: 'no-deliveries' }, 'No deliveries match.');
    const body = h('div', {});
    const more = h('div', {});
    const page = (answer) => {
      body.append(table(COLUMNS, rowsOf(answer), (d) => ({ 'data-delivery': d.id || d.deliveryId })));
      const cursor = nextCursorOf(answer);
      show(more, cursor ? h('button', { class: 'secondary', onclick: () => next(cursor) }, 'More') : '');
    };
    const next = async (cursor) => {
      try {
        page((await history(path, { ...query, cursor })).body);
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        show(more, problemBox(e));
      }
    };
    page(first.body);
    return h('div', {}, body, more);
  });
}
