// One subscription: its health, pause/resume, its endpoint's statistics and delivery log (from the history).
import { api, h, load, badge, fields, text, time, problemBox, Problem } from '../api.js';
import { history, historyUnavailable } from '../history.js';
import { deliveryLog } from '../deliveries.js';
import { statsView } from '../stats.js';
import { lastAnswer } from './subscriptions.js';

export const title = 'Subscription';

const STATUSES = ['', 'pending', 'delivered', 'retrying', 'dead', 'parked'];
const WINDOWS = ['1h', '24h', '7d'];

export function render(page, { id }) {
  const path = `/v1/subscriptions/${encodeURIComponent(id)}`;
  const summary = h('div', { id: 'summary' });
  const stats = h('div', {});
  const log = h('div', { id: 'delivery-log' });
  page.replaceChildren(h('h1', {}, 'Subscription ', h('code', {}, id)), summary,
    h('h2', {}, 'Delivery and error rates'), statsControls(path, stats), stats,
    h('h2', {}, 'Delivery log'), logFilters(path, log), log);
  refresh(path, summary);
}

function refresh(path, summary) {
  load(summary, async () => {
    const [subscription, health] = await Promise.all([api(path), api(`${path}/health`)]);
    const waiting = health.waiting || {};
    const actions = h('div', { class: 'actions' },
      subscription.status === 'PAUSED'
        ? h('button', { id: 'resume', onclick: () => act(`${path}/resume`, summary, path) }, 'Resume')
        : h('button', { id: 'pause', class: 'secondary', onclick: () => act(`${path}/pause`, summary, path) }, 'Pause'),
      h('a', { href: `#/dead-letters?subscription=${encodeURIComponent(subscription.id)}`, id: 'dead-letters-link' },
        'Dead letters of this subscription'));
    return h('section', { class: 'card' }, fields([
      ['Endpoint', h('code', {}, subscription.url)],
      ['Event types', (subscription.eventTypes || []).join(', ')],
      ['Filter', text(subscription.filter)],
      ['Status', h('span', { id: 'status' }, badge(subscription.status))],
      ['Circuit', h('span', { id: 'circuit' }, badge(health.circuit))],
      ['Next probe', time(health.nextProbeAt)],
      ['Consecutive failures', h('span', { id: 'failures' }, String(health.consecutiveFailures))],
      ['Failing since', time(health.failingSince)],
      ['Last answer', h('span', { id: 'last-answer' }, lastAnswer(health))],
      ['In flight / queued', `${waiting.inFlight ?? 0} / ${waiting.queued ?? 0}`],
      ['Deferred / retrying', `${waiting.deferred ?? 0} / ${waiting.retrying ?? 0}`],
      ['Parked', waiting.parked ? badge('parked') : 'no'],
    ]), actions);
  });
}

async function act(actionPath, summary, path) {
  try {
    await api(actionPath, { method: 'POST' });
    refresh(path, summary);
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    summary.prepend(problemBox(e));
  }
}

function statsControls(path, stats) {
  const window = h('select', { id: 'stats-window', 'aria-label': 'Window' },
    WINDOWS.map((w) => h('option', { value: w }, `last ${w}`)));
  const draw = () => load(stats, async () => {
    const answer = await history(`${path}/stats`, { window: window.value });
    return answer.available ? statsView(answer.body) : historyUnavailable(answer.problem);
  });
  window.addEventListener('change', draw);
  draw();
  return h('div', { class: 'filters' }, window);
}

function logFilters(path, log) {
  const status = h('select', { name: 'status' }, STATUSES.map((s) => h('option', { value: s }, s || 'any')));
  const type = h('input', { name: 'type', placeholder: 'order.created' });
  const since = h('input', { name: 'since', type: 'datetime-local' });
  const until = h('input', { name: 'until', type: 'datetime-local' });
  const form = h('form', { class: 'filters', id: 'log-filters' },
    h('label', {}, 'Status', status), h('label', {}, 'Event type', type),
    h('label', {}, 'Since', since), h('label', {}, 'Until', until),
    h('button', { type: 'submit' }, 'Filter'));
  const search = () => deliveryLog(log, `${path}/deliveries`, {
    status: status.value, type: type.value.trim(), since: iso(since.value), until: iso(until.value) });
  form.addEventListener('submit', (e) => { e.preventDefault(); search(); });
  search();
  return form;
}

/** A datetime-local value (the browser's local time) as an ISO instant; empty stays empty. */
export function iso(local) {
  return local ? new Date(local).toISOString() : '';
}
