// The console's router: #/<page>/<id>?<query> picks a page module; without a key, the login page.
import { apiKey, show, h } from './api.js';
import * as login from './pages/login.js';
import * as subscriptions from './pages/subscriptions.js';
import * as subscription from './pages/subscription.js';
import * as delivery from './pages/delivery.js';
import * as event from './pages/event.js';
import * as deadLetters from './pages/dead-letters.js';
import * as eventTypes from './pages/event-types.js';
import * as inspector from './pages/inspector.js';

const ROUTES = [
  [/^\/subscriptions$/, subscriptions],
  [/^\/subscriptions\/([^/]+)$/, subscription],
  [/^\/deliveries\/([^/]+)$/, delivery],
  [/^\/events\/([^/]+)$/, event],
  [/^\/dead-letters$/, deadLetters],
  [/^\/event-types$/, eventTypes],
  [/^\/inspector\/([^/]+)$/, inspector],
];

const page = document.getElementById('page');
let leave = null;

function route() {
  if (leave) leave();
  leave = null;
  const [path, queryText] = (location.hash.slice(1) || '/subscriptions').split('?');
  const query = new URLSearchParams(queryText || '');
  const loggedIn = Boolean(apiKey.get());
  document.getElementById('nav').hidden = !loggedIn;
  if (!loggedIn || path === '/login') {
    leave = login.render(page, { next: path === '/login' ? '/subscriptions' : path });
    return;
  }
  for (const [pattern, module] of ROUTES) {
    const match = pattern.exec(path);
    if (match) {
      document.title = `${module.title} · Campanello console`;
      leave = module.render(page, { id: match[1] && decodeURIComponent(match[1]), query }) || null;
      return;
    }
  }
  show(page, h('h1', {}, 'Not found'), h('p', {}, 'No page at ', h('code', {}, path), '.'));
}

document.getElementById('logout').addEventListener('click', () => {
  apiKey.clear();
  location.hash = '#/login';
});
document.getElementById('find-event').addEventListener('submit', (e) => {
  e.preventDefault();
  const id = document.getElementById('find-event-id').value.trim();
  if (id) location.hash = `#/events/${encodeURIComponent(id)}`;
});
window.addEventListener('campanello:unauthorized', () => {
  apiKey.clear();
  document.getElementById('nav').hidden = true;
});
window.addEventListener('hashchange', route);
route();
