// /ui/reactors: the reactor's rules (reactor.list), its counters (reactor.stats), its recent firings (reactor.history:
// what each matching event led to and how it ended), the jobs it started (user Reactor in the job cache) and, live, the
// events that match a rule and the reactor's errors.
import { get, runner } from '../api.js';
import { el, link, showStamp, table, note } from '../dom.js';
import { globMatch } from '../glob.js';
import { liveStream, failure } from './common.js';

export async function render(view, ctx) {
  document.title = 'Reactors · Orchestrator';
  const rulesBox = el('section', { id: 'reactor-rules' }, el('h2', null, 'Rules'));
  const statsBox = el('section', { id: 'reactor-stats' }, el('h2', null, 'Counters'));
  const liveList = el('ol', { id: 'reactor-live', class: 'events', reversed: true });
  const historyBox = el('section', { id: 'reactor-history' }, el('h2', null, 'Recent firings'));
  const jobsBox = el('section', { id: 'reactor-jobs' }, el('h2', null, 'Recent jobs the reactor started'));
  let rules = [];
  const live = liveStream(({ tag, data }) => {
    const hit = rules.filter((r) => globMatch(r.glob, tag));
    const isError = tag === 'salt/reactor/error';
    const isReaction = data.user === 'Reactor' && /\/new$/.test(tag);
    if (!hit.length && !isError && !isReaction) return;
    const what = isError ? el('span', { class: 'c-failed' }, `error: ${String(data.error ?? data.message ?? JSON.stringify(data))}`)
      : isReaction ? ['started ', link(`/ui/jobs/${encodeURIComponent(String(data.jid ?? ''))}`, `${String(data.fun ?? '')} ${String(data.jid ?? '')}`)]
        : `matched rule ${hit.map((r) => r.glob).join(', ')} → ${hit.flatMap((r) => r.files).join(', ')}`;
    liveList.prepend(el('li', { class: 'event', dataset: { tag } }, el('time', null, showStamp(data._stamp)), ' ',
      el('code', { class: 'event-tag' }, tag), ' ', what));
    while (liveList.children.length > 200) liveList.lastChild.remove();
  }, ctx);
  view.append(el('h1', null, 'Reactors ', live.badge), rulesBox, statsBox, historyBox,
    el('section', null, el('h2', null, 'Firings since this page opened'), liveList), jobsBox);
  const [l, s, j, h] = await Promise.allSettled([runner('reactor.list'), runner('reactor.stats'), get('/jobs'), runner('reactor.history', { count: 50 })]);
  if (h.status === 'fulfilled') {
    const firings = Array.isArray(h.value) ? h.value : [];
    historyBox.appendChild(firings.length
      ? table(['When (UTC)', 'Rule', 'Event', 'Action', 'Outcome', 'Detail'], firings.map((f) => [
        showStamp(f._stamp), el('code', null, String(f.rule ?? '')), el('code', null, String(f.tag ?? '')),
        `${String(f.id ?? '')}: ${String(f.fun ?? '')}`,
        el('span', { class: f.outcome === 'failed' ? 'c-failed' : f.outcome === 'ran' ? 'c-ok' : 'c-changed' }, String(f.outcome ?? '')),
        String(f.detail ?? '')]), { id: 'history-table' })
      : note('info', 'The reactor has not fired since the master started.'));
  } else historyBox.appendChild(failure('runner reactor.history', h.reason));
  if (l.status === 'fulfilled') {
    rules = (Array.isArray(l.value) ? l.value : []).flatMap((entry) => Object.entries(entry || {}).map(([glob, files]) => ({
      glob, files: Array.isArray(files) ? files.map(String) : [String(files)],
    })));
    rulesBox.appendChild(rules.length
      ? table(['Tag glob', 'Reactor SLS'], rules.map((r) => [el('code', null, r.glob), r.files.join(', ')]), { id: 'rules-table' })
      : note('info', 'No reactor rules: the master config has no reactor: section.'));
  } else rulesBox.appendChild(failure('runner reactor.list', l.reason));
  if (s.status === 'fulfilled' && s.value && typeof s.value === 'object') {
    statsBox.appendChild(table(Object.keys(s.value), [Object.values(s.value).map(String)], { id: 'stats-table' }));
  } else statsBox.appendChild(failure('runner reactor.stats', s.reason || new Error('no counters')));
  if (j.status === 'fulfilled') {
    const all = (j.value.return && j.value.return[0]) || {};
    const mine = Object.entries(all).filter(([, job]) => job && job.User === 'Reactor').sort(([a], [b]) => (a < b ? 1 : -1)).slice(0, 30);
    jobsBox.appendChild(mine.length
      ? table(['Job', 'Function', 'Target', 'Started (UTC)'], mine.map(([jid, job]) => [
        link(`/ui/jobs/${encodeURIComponent(jid)}`, jid), String(job.Function ?? ''),
        Array.isArray(job.Target) ? job.Target.join(',') : String(job.Target ?? ''), String(job.StartTime ?? '')]))
      : note('info', 'The job cache holds no job the reactor started.'));
  } else jobsBox.appendChild(failure('GET /jobs', j.reason));
  return live.close;
}
