// Calls to the delivery history. Where it is not there (404, 502, unreachable) the pages say so instead of failing.
import { api, h, Problem } from './api.js';

const ABSENT = new Set([0, 404, 502, 503, 504]);

/** Resolves to {available: true, body} or {available: false, problem}; other problems reject. */
export async function history(path, query) {
  try {
    return { available: true, body: await api(path, { query }) };
  } catch (e) {
    if (e instanceof Problem && ABSENT.has(e.status) && isAbsence(e)) return { available: false, problem: e };
    throw e;
  }
}

/** A 404 of a known thing (subscription_not_found, delivery_not_found, …) is an answer, not an absent history. */
function isAbsence(problem) {
  if (problem.status !== 404) return true;
  return ['not_found', 'service_not_configured', 'http_404'].includes(problem.code);
}

export function historyUnavailable(problem) {
  return h('div', { class: 'notice', 'data-state': 'history-unavailable' },
    h('strong', {}, 'Delivery history not available.'),
    ' The history service did not answer for this console ',
    h('span', { class: 'muted' }, `(${problem.code}${problem.status ? `, HTTP ${problem.status}` : ''})`),
    '. Subscriptions, health, dead letters and replays work without it.');
}

/** The rows of a list answer, whatever the history names its list. */
export function rowsOf(body) {
  if (Array.isArray(body)) return body;
  return (body && (body.items || body.deliveries || body.data)) || [];
}

export function nextCursorOf(body) {
  return body && !Array.isArray(body) ? body.nextCursor || body.next_cursor || null : null;
}
