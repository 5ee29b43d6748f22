// What every page shares: the API key (kept in sessionStorage only), calls to the APIs on this origin,
// problem+json shown as problems, and a small element builder that never parses HTML.

const KEY = 'campanello.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An answer the API gave as an error (RFC 9457), or that it could not give. */
export class Problem extends Error {
  constructor(status, body) {
    super((body && (body.detail || body.title)) || `HTTP ${status}`);
    this.status = status;
    this.code = (body && body.code) || (status === 0 ? 'unreachable' : `http_${status}`);
    this.body = body;
  }
}

/** Calls the API with the key; resolves to the JSON body (null when none), rejects with a Problem. */
export async function api(path, { method = 'GET', body, query } = {}) {
  const url = path + queryString(query);
  const headers = { Accept: 'application/json' };
  const key = apiKey.get();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new Problem(0, { detail: `the console did not answer (${e.message})` });
  }
  const text = await response.text();
  const json = text ? parse(text) : null;
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent('campanello:unauthorized'));
    throw new Problem(response.status, json);
  }
  return json;
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return { detail: text.slice(0, 300) };
  }
}

export function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  Object.entries(query).forEach(([name, value]) => {
    if (value !== undefined && value !== null && value !== '') params.set(name, value);
  });
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Builds an element: h('a', {href: '#/x', class: 'badge'}, 'text', child…). Strings become text nodes. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (value === undefined || value === null || value === false) return;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'hidden' || name === 'disabled') element[name] = Boolean(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  });
  append(element, children);
  return element;
}

function append(element, children) {
  children.flat(Infinity).forEach((child) => {
    if (child === undefined || child === null || child === false) return;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  });
}

/** Replaces the children of an element. */
export function show(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A problem as the page shows it: its detail, its stable code, and its status. */
export function problemBox(problem) {
  const status = problem.status ? ` · HTTP ${problem.status}` : '';
  return h('div', { class: 'problem', role: 'alert', 'data-code': problem.code },
    h('strong', {}, problem.message), h('div', { class: 'muted' }, `${problem.code}${status}`));
}

/** Renders what an async loader produced into a container, or the problem it met. */
export async function load(container, loader) {
  show(container, h('p', { class: 'muted' }, 'Loading…'));
  try {
    show(container, await loader());
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    show(container, problemBox(e));
  }
}

export function time(value) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

export function text(value) {
  if (value === undefined || value === null || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A status or state as a coloured badge. */
export function badge(value) {
  const word = String(value ?? 'unknown');
  const lower = word.toLowerCase();
  let tone = '';
  if (/^(active|closed|delivered|completed|verified|2\d\d)$/.test(lower)) tone = 'ok';
  else if (/^(paused|half_open|retrying|pending|running|parked|disabled|3\d\d)$/.test(lower)) tone = 'warn';
  else if (/^(open|dead|failed|cancelled|failing|not verified|[45]\d\d)$/.test(lower)) tone = 'bad';
  return h('span', { class: `badge ${tone}`, 'data-value': word }, word);
}

/** A definition list of label → value pairs (values may be elements). */
export function fields(pairs) {
  return h('dl', { class: 'fields' }, pairs.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
}

export function table(columns, rows, rowAttributes = () => ({})) {
  return h('table', {},
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : '' }, c.label)))),
    h('tbody', {}, rows.map((row) => h('tr', rowAttributes(row),
      columns.map((c) => h('td', { class: c.num ? 'num' : '' }, c.value(row)))))));
}

export function pretty(value) {
  if (value === undefined || value === null) return h('span', { class: 'muted' }, 'none');
  let shown = value;
  if (typeof value === 'string') {
    try { shown = JSON.parse(value); } catch (e) { return h('pre', {}, value); }
  }
  return h('pre', {}, JSON.stringify(shown, null, 2));
}

/** Calls fn now and every `millis` until the returned stop function is called or fn returns false. */
export function every(millis, fn) {
  let stopped = false;
  let timer;
  const tick = async () => {
    if (stopped) return;
    const goOn = await fn();
    if (!stopped && goOn !== false) timer = setTimeout(tick, millis);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}
