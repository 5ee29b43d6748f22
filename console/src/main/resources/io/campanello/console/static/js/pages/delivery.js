// One delivery from the history: every attempt with the endpoint's answer, the payload as sent, redeliver.
import { api, h, show, load, badge, fields, text, time, pretty, table, problemBox, Problem } from '../api.js';
import { history, historyUnavailable } from '../history.js';

export const title = 'Delivery';

export function render(page, { id }) {
  const path = `/v1/deliveries/${encodeURIComponent(id)}`;
  const body = h('div', { id: 'delivery' });
  page.replaceChildren(h('h1', {}, 'Delivery ', h('code', {}, id)), body);
  load(body, async () => {
    const answer = await history(path);
    if (!answer.available) return historyUnavailable(answer.problem);
    return view(answer.body, path);
  });
}

function view(answer, path) {
  // The history answers {delivery, attempts, payload}; a flat delivery with its attempts is read as well.
  const delivery = answer.delivery ? { ...answer.delivery, attempts: answer.attempts, payload: answer.payload } : answer;
  const attempts = Array.isArray(delivery.attempts) ? delivery.attempts : [];
  const message = h('div', {});
  const redeliver = h('button', { id: 'redeliver', onclick: async () => {
    redeliver.disabled = true;
    try {
      await api(`${path}/redeliver`, { method: 'POST' });
      show(message, h('div', { class: 'notice' }, 'Sent again, with the same webhook-id.'));
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      show(message, problemBox(e));
    } finally {
      redeliver.disabled = false;
    }
  } }, 'Redeliver now');
  return h('div', {},
    h('section', { class: 'card' }, fields([
      ['Status', h('span', { id: 'delivery-status' }, badge(delivery.status))],
      ['Subscription', delivery.subscriptionId
        ? h('a', { href: `#/subscriptions/${delivery.subscriptionId}` }, delivery.subscriptionId) : '—'],
      ['Event', h('span', {}, text(delivery.eventType), ' ', h('code', {}, text(delivery.eventId)))],
      ['Webhook id', h('code', {}, text(delivery.webhookId || delivery.id))],
      ['Next attempt', time(delivery.nextAttemptAt)],
    ]), h('div', { class: 'actions' }, redeliver), message),
    h('h2', {}, `Attempts (${attempts.length})`),
    attempts.length ? table([
      { label: '#', num: true, value: (a) => text(a.attempt ?? a.number) },
      { label: 'When', value: (a) => time(a.at || a.attemptedAt || a.startedAt) },
      { label: 'Answer', value: (a) => h('span', { class: 'attempt-status' }, a.status ? badge(a.status) : text(a.outcome)) },
      { label: 'Duration', num: true, value: (a) => (a.durationMillis ?? a.duration ?? null) === null ? '—'
        : `${a.durationMillis ?? a.duration} ms` },
      { label: 'Endpoint answered', value: (a) => answerOf(a) },
    ], attempts, () => ({ class: 'attempt' })) : h('p', { class: 'muted' }, 'No attempt yet.'),
    h('h2', {}, 'Payload as sent'),
    h('div', { id: 'payload' }, pretty(delivery.payload ?? delivery.body ?? delivery.event)));
}

function answerOf(attempt) {
  const headers = attempt.responseHeaders || attempt.headers;
  const body = attempt.responseBody ?? attempt.body;
  return h('div', { class: 'answer' },
    attempt.error ? h('div', { class: 'problem' }, text(attempt.error)) : '',
    headers ? h('details', {}, h('summary', {}, 'Headers'), pretty(headers)) : '',
    body !== undefined && body !== null ? pretty(body) : h('span', { class: 'muted' }, 'no body kept'));
}
