// One event across subscriptions: a row per subscription, from the history.
import { h } from '../api.js';
import { deliveryLog } from '../deliveries.js';

export const title = 'Event';

export function render(page, { id }) {
  const log = h('div', { id: 'event-deliveries' });
  page.replaceChildren(h('h1', {}, 'Event ', h('code', {}, id)), log);
  deliveryLog(log, `/v1/events/${encodeURIComponent(id)}/deliveries`, {});
}
