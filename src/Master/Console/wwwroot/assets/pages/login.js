// The login page: user name, password and eauth backend; POST /login keeps the token in sessionStorage and the page
// goes back to where the user was sent from.
import { login, ApiError } from '../api.js';
import { el, note } from '../dom.js';

const EAUTH = ['pam', 'file'];

/** Only a console URL on this origin is a place to come back to (no open redirect through ?next=). */
export function safeNext(next) {
  if (typeof next !== 'string' || !next.startsWith('/ui/') || next.startsWith('//') || next.includes('\\')) return '/ui/jobs';
  if (next.startsWith('/ui/login')) return '/ui/jobs';
  return next;
}

export async function render(view, { query, navigate }) {
  document.title = 'Log in · Orchestrator';
  const username = el('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const eauth = el('select', { id: 'eauth', name: 'eauth' }, EAUTH.map((e) => el('option', { value: e }, e)));
  const saved = localStorage.getItem('orchestrator.eauth');
  if (saved && EAUTH.includes(saved)) eauth.value = saved;
  const status = el('div', { id: 'login-status' });
  const submit = el('button', { type: 'submit', id: 'login-submit' }, 'Log in');
  const form = el('form', { id: 'login', class: 'login' },
    el('h1', null, 'Log in'),
    el('label', { for: 'username' }, 'User name'), username,
    el('label', { for: 'password' }, 'Password'), password,
    el('label', { for: 'eauth' }, 'Eauth'), eauth,
    submit, status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    status.replaceChildren(note('info', 'Logging in…'));
    try {
      await login(username.value, password.value, eauth.value);
      localStorage.setItem('orchestrator.eauth', eauth.value);
      navigate(safeNext(query.get('next')), true);
    } catch (error) {
      status.replaceChildren(note('error', error instanceof ApiError ? error.message : `Login failed: ${error.message}`));
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  view.appendChild(form);
  username.focus();
}
