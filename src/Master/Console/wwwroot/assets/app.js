// The console's router: every page has its own URL under /ui (shareable), and one without a session first goes to the
// login page, which comes back to it.
import { AuthError, session, logout } from './api.js';
import { el, replace, note } from './dom.js';
import * as loginPage from './pages/login.js';
import * as minionsPage from './pages/minions.js';
import * as minionPage from './pages/minion.js';
import * as jobsPage from './pages/jobs.js';
import * as jobPage from './pages/job.js';
import * as eventsPage from './pages/events.js';
import * as reactorsPage from './pages/reactors.js';
import * as keysPage from './pages/keys.js';

const routes = [
  [/^\/ui\/login$/, loginPage, 'login'],
  [/^\/ui\/minions$/, minionsPage, 'minions'],
  [/^\/ui\/minions\/([^/]+)$/, minionPage, 'minions'],
  [/^\/ui\/jobs$/, jobsPage, 'jobs'],
  [/^\/ui\/jobs\/([^/]+)$/, jobPage, 'jobs'],
  [/^\/ui\/events$/, eventsPage, 'events'],
  [/^\/ui\/reactors$/, reactorsPage, 'reactors'],
  [/^\/ui\/keys$/, keysPage, 'keys'],
];

const main = document.getElementById('main');
let cleanup = null;
let generation = 0;

/** Goes to a console URL without a page load (replace: no new history entry). */
export function navigate(url, replaceEntry = false) {
  if (replaceEntry) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

function loginUrl() {
  const here = location.pathname + location.search;
  return `/ui/login?next=${encodeURIComponent(here)}`;
}

function showHeader(section) {
  const current = session();
  document.getElementById('nav').hidden = !current;
  document.getElementById('logout').hidden = !current;
  replace(document.getElementById('who'), current ? `${current.user} (${current.eauth})` : '');
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function render() {
  const mine = ++generation;
  if (cleanup) {
    try { cleanup(); } catch { /* a page's own teardown failing must not stop the next page */ }
    cleanup = null;
  }
  let path = location.pathname.replace(/\/+$/, '');
  if (path === '/ui' || path === '') {
    history.replaceState(null, '', '/ui/jobs');
    path = '/ui/jobs';
  }
  const route = routes.find(([pattern]) => pattern.test(path));
  if (!route) {
    showHeader('');
    replace(main, el('h1', null, 'Not found'), note('error', `No console page at ${path}.`));
    return;
  }
  const [pattern, page, section] = route;
  if (page !== loginPage && !session()) {
    navigate(loginUrl(), true);
    return;
  }
  showHeader(section);
  const params = (path.match(pattern) || []).slice(1).map((p) => decodeURIComponent(p));
  const query = new URLSearchParams(location.search);
  const view = el('div', { class: 'page' });
  replace(main, view);
  try {
    const teardown = await page.render(view, {
      params, query, navigate, isCurrent: () => mine === generation, expired: () => { if (mine === generation) navigate(loginUrl(), true); },
    });
    if (mine === generation) cleanup = teardown || null;
    else if (teardown) teardown();
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof AuthError) navigate(loginUrl(), true);
    else view.appendChild(note('error', `This page failed: ${error.message}`));
  }
}

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest('a[href]');
  if (!a || a.target || a.origin !== location.origin || !a.pathname.startsWith('/ui/')) return;
  event.preventDefault();
  navigate(a.pathname + a.search);
});
window.addEventListener('popstate', render);
document.getElementById('logout').addEventListener('click', async () => {
  await logout();
  navigate('/ui/login', true);
});
render();
