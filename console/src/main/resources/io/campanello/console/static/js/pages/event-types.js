// The caller's event-type catalog: names, descriptions and the JSON Schema of each type's data.
import { api, h, load, table, text, time, pretty } from '../api.js';

export const title = 'Event types';

export function render(page) {
  const list = h('div', { id: 'event-types' });
  page.replaceChildren(h('h1', {}, 'Event types'), list);
  load(list, async () => {
    const types = await api('/v1/event-types');
    if (types.length === 0) {
      return h('p', { class: 'muted' }, 'No event types in the catalog (POST /v1/event-types adds one).');
    }
    return table([
      { label: 'Name', value: (t) => h('code', { class: 'event-type' }, t.name) },
      { label: 'Description', value: (t) => text(t.description) },
      { label: 'Schema of the data', value: (t) => (t.schema
        ? h('details', {}, h('summary', {}, 'JSON Schema'), pretty(t.schema)) : h('span', { class: 'muted' }, 'any')) },
      { label: 'Since', value: (t) => time(t.createdAt) },
    ], types, (t) => ({ 'data-event-type': t.name }));
  });
}
