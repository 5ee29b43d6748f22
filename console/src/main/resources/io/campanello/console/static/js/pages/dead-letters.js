// Dead letters with filters, each one's event on demand, and a filtered replay (see replay.js).
import { api, h, show, badge, time, pretty, problemBox, Problem } from '../api.js';
import { iso } from './subscription.js';
import { replayPanel } from '../replay.js';

export const title = 'Dead letters';

const REASONS = ['', 'exhausted', 'permanent_status', 'subscription_deleted', 'subscription_disabled'];

export function render(page, { query }) {
  const inputs = {
    subscription: h('input', { name: 'subscription', placeholder: 'sub_…', value: query.get('subscription') || '' }),
    type: h('input', { name: 'type', placeholder: 'order.created', value: query.get('type') || '' }),
    reason: h('select', { name: 'reason' }, REASONS.map((r) => h('option', { value: r }, r || 'any'))),
    since: h('input', { name: 'since', type: 'datetime-local' }),
    until: h('input', { name: 'until', type: 'datetime-local' }),
  };
  const filter = () => ({
    subscription: inputs.subscription.value.trim() || undefined,
    type: inputs.type.value.trim() || undefined,
    reason: inputs.reason.value || undefined,
    since: iso(inputs.since.value) || undefined,
    until: iso(inputs.until.value) || undefined,
  });
  const list = h('div', { id: 'dead-letter-list' });
  const replay = replayPanel(filter);
  const form = h('form', { class: 'filters', id: 'dead-letter-filters' },
    Object.entries(inputs).map(([name, input]) => h('label', {}, name[0].toUpperCase() + name.slice(1), input)),
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (e) => { e.preventDefault(); replay.filterChanged(); search(list, filter()); });
  form.addEventListener('input', () => replay.filterChanged());
  page.replaceChildren(h('h1', {}, 'Dead letters'), form, list, h('h2', {}, 'Replay these dead letters'), replay.element);
  search(list, filter());
  return () => replay.stop();
}

async function search(list, filter, cursor, rows = h('tbody', {})) {
  if (!cursor) show(list, h('p', { class: 'muted' }, 'Loading…'));
  try {
    const page = await api('/v1/dead-letters', { query: { ...filter, cursor, limit: 50 } });
    if (!cursor && page.items.length === 0) {
      show(list, h('p', { class: 'muted', id: 'no-dead-letters' }, 'No dead letters match.'));
      return;
    }
    page.items.forEach((d) => rows.append(...row(d)));
    const more = page.nextCursor
      ? h('button', { class: 'secondary', onclick: () => search(list, filter, page.nextCursor, rows) }, 'More') : '';
    show(list, h('table', {}, head(), rows), more);
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    show(list, problemBox(e));
  }
}

function head() {
  return h('thead', {}, h('tr', {}, ['Dead letter', 'Subscription', 'Event', 'Reason', 'Attempts', 'Last answer',
    'Dead since'].map((label) => h('th', {}, label))));
}

function row(d) {
  const detail = h('tr', { hidden: true }, h('td', { colspan: 7 }));
  const open = async () => {
    detail.hidden = !detail.hidden;
    if (detail.hidden) return;
    try {
      const full = await api(`/v1/dead-letters/${encodeURIComponent(d.id)}`);
      show(detail.firstChild, h('strong', {}, 'Event'), pretty(full.event));
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      show(detail.firstChild, problemBox(e));
    }
  };
  const cells = [
    h('button', { class: 'link', onclick: open, title: 'Show the event' }, h('code', {}, d.id)),
    h('a', { href: `#/subscriptions/${d.subscriptionId}` }, d.subscriptionId),
    h('span', {}, d.eventType, h('div', { class: 'muted' }, h('a', { href: `#/events/${d.eventId}` }, d.eventId))),
    badge(d.reason),
    String(d.attempts),
    h('span', {}, d.lastStatus ? badge(d.lastStatus) : '', ' ', d.lastError || ''),
    time(d.deadAt),
  ];
  return [h('tr', { class: 'dead-letter', 'data-dead-letter': d.id }, cells.map((c) => h('td', {}, c))), detail];
}
