// API-key login: the key is checked by listing the caller's subscriptions, then kept in sessionStorage.
import { api, apiKey, h, show, problemBox, Problem } from '../api.js';

export const title = 'Log in';

export function render(page, { next }) {
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true,
    placeholder: 'cmp_…', 'aria-label': 'API key' });
  const message = h('div', { id: 'login-message' });
  const form = h('form', { class: 'card login', id: 'login' },
    h('h1', {}, 'Campanello console'),
    h('label', { for: 'api-key' }, 'API key (a tenant key, or the admin key)'),
    input,
    h('button', { type: 'submit', id: 'login-submit' }, 'Log in'),
    message,
    h('p', { class: 'muted' }, 'The key stays in this tab (sessionStorage) and goes only to this address.'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    apiKey.set(input.value.trim());
    try {
      await api('/v1/subscriptions');
      const target = `#${next && next !== '/login' ? next : '/subscriptions'}`;
      if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
      else location.hash = target;
    } catch (problem) {
      apiKey.clear();
      if (!(problem instanceof Problem)) throw problem;
      show(message, problemBox(problem));
    }
  });
  show(page, form);
  input.focus();
}
