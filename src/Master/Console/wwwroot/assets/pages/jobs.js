// /ui/jobs: the job cache (GET /jobs), newest first, and jobs published while the page is open (salt/job/<jid>/new).
import { get } from '../api.js';
import { el, link, showStamp } from '../dom.js';
import { globMatch } from '../glob.js';
import { liveStream } from './common.js';

function row(jid, fun, target, user, started, count) {
  return el('tr', { dataset: { jid } },
    el('td', null, link(`/ui/jobs/${encodeURIComponent(jid)}`, jid)),
    el('td', null, fun), el('td', null, target), el('td', null, user), el('td', null, started), el('td', { class: 'num' }, String(count)));
}

export async function render(view, ctx) {
  document.title = 'Jobs · Orchestrator';
  const body = el('tbody');
  const filter = el('input', { id: 'jobs-filter', placeholder: 'function glob, e.g. state.*', value: ctx.query.get('fun') || '' });
  const known = new Set();
  const apply = () => {
    for (const tr of body.children) tr.hidden = !globMatch(filter.value.trim(), tr.children[1]?.textContent || '');
    const url = new URL(location.href);
    if (filter.value.trim()) url.searchParams.set('fun', filter.value.trim());
    else url.searchParams.delete('fun');
    history.replaceState(null, '', url.pathname + url.search);
  };
  filter.addEventListener('input', apply);
  const live = liveStream(({ tag, data }) => {
    const m = /^salt\/job\/([^/]+)\/new$/.exec(tag);
    if (!m || known.has(m[1])) return;
    known.add(m[1]);
    const target = Array.isArray(data.tgt) ? data.tgt.join(',') : String(data.tgt ?? '');
    body.prepend(row(m[1], String(data.fun ?? ''), target, String(data.user ?? ''), showStamp(data._stamp), (data.minions || []).length));
    apply();
  }, ctx);
  view.append(el('h1', null, 'Jobs ', live.badge), el('p', null, el('label', { for: 'jobs-filter' }, 'Filter: '), filter),
    el('table', { id: 'jobs' },
      el('thead', null, el('tr', null, ['Job', 'Function', 'Target', 'User', 'Started (UTC)', 'Minions'].map((h) => el('th', null, h)))),
      body));
  const answer = await get('/jobs');
  const jobs = (answer.return && answer.return[0]) || {};
  for (const jid of Object.keys(jobs).sort().reverse()) {
    if (known.has(jid)) continue;
    known.add(jid);
    const job = jobs[jid] || {};
    const target = Array.isArray(job.Target) ? job.Target.join(',') : String(job.Target ?? '');
    body.appendChild(row(jid, String(job.Function ?? ''), target, String(job.User ?? ''), String(job.StartTime ?? ''),
      Array.isArray(job.Minions) ? job.Minions.length : 0));
  }
  apply();
  return live.close;
}
