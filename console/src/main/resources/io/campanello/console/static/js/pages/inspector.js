// A live view of one of the standalone inspector's bins: the requests it received, newest first, polled.
import { api, h, show, badge, text, time, pretty, problemBox, every, Problem } from '../api.js';

export const title = 'Inspector';

const POLL_MILLIS = 2000;

export function render(page, { id }) {
  const name = h('input', { id: 'bin-name', value: id, 'aria-label': 'Bin name' });
  const form = h('form', { class: 'filters' }, h('label', {}, 'Bin', name), h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/inspector/${encodeURIComponent(name.value.trim() || 'demo')}`;
  });
  const requests = h('div', { id: 'bin-requests' });
  page.replaceChildren(h('h1', {}, 'Inspector bin ', h('code', {}, id)),
    h('p', { class: 'muted' }, 'The standalone\'s local receiver: point a subscription at its ',
      h('code', {}, `/bins/${id}`), ' (port 8090 by default). This view refreshes every 2 s.'),
    form, requests);
  return every(POLL_MILLIS, async () => {
    try {
      const received = await api(`/inspector/bins/${encodeURIComponent(id)}/requests`);
      show(requests, received.length ? received.map(card) : h('p', { class: 'muted' }, 'No requests yet.'));
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      if (e.status === 404 && e.code === 'http_404') {
        show(requests, h('p', { class: 'muted' }, 'No requests yet (the bin is made by its first request).'));
      } else {
        show(requests, problemBox(e));
        return e.code !== 'service_not_configured';
      }
    }
    return true;
  });
}

function card(request) {
  const signature = request.signature;
  return h('section', { class: 'card bin-request' },
    h('div', {}, h('strong', {}, `${request.method} ${request.path}`), ' ',
      h('span', { class: 'muted' }, time(request.receivedAt)), ' ',
      signature ? badge(signature.verified ? 'verified' : 'NOT verified') : badge('unsigned')),
    h('div', { class: 'muted' }, 'webhook-id ', h('code', {}, text(request.headers['webhook-id']))),
    pretty(request.body));
}
