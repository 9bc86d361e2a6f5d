// /ui/minions/<id>: one minion's key state, up or down, last seen, its grains and the recent jobs that targeted it.
import { get, runner, wheel } from '../api.js';
import { el, link, showStamp, table, note, replace } from '../dom.js';
import { keyStates, liveStream, valueCell, failure } from './common.js';

export async function render(view, ctx) {
  const [id] = ctx.params;
  document.title = `${id} · Minions · Orchestrator`;
  const seen = el('span', { id: 'last-seen' }, 'not since this page opened');
  const live = liveStream(({ tag, data }) => {
    const mine = data.id === id || (tag === 'salt/presence/present' && Array.isArray(data.present) && data.present.includes(id));
    if (mine) replace(seen, showStamp(data._stamp));
  }, ctx);
  const facts = el('dl', { class: 'facts' });
  const grainsBox = el('section', { id: 'grains' }, el('h2', null, 'Grains'));
  const jobsBox = el('section', { id: 'minion-jobs' }, el('h2', null, 'Recent jobs'));
  view.append(el('p', { class: 'crumbs' }, link('/ui/minions', 'Minions'), ' / '),
    el('h1', null, id, ' ', live.badge), facts, grainsBox, jobsBox);
  const [g, k, s, j] = await Promise.allSettled([
    get(`/minions/${encodeURIComponent(id)}`), wheel('key.list_all'), runner('manage.status'), get('/jobs')]);
  const fact = (name, value) => facts.append(el('dt', null, name), el('dd', null, value));
  fact('Key', k.status === 'fulfilled' ? (keyStates(k.value).get(id) || 'no key') : failure('wheel key.list_all', k.reason));
  if (s.status === 'fulfilled') {
    const st = s.value || {};
    fact('Status', (st.up || []).includes(id) ? 'up' : (st.down || []).includes(id) ? 'down' : 'not an accepted minion');
  } else fact('Status', failure('runner manage.status', s.reason));
  fact('Last seen', seen);
  if (g.status === 'fulfilled') {
    const grains = g.value.return && g.value.return[0] && g.value.return[0][id];
    if (grains && typeof grains === 'object') {
      grainsBox.appendChild(table(['Grain', 'Value'], Object.keys(grains).sort().map((key) => [key, valueCell(grains[key])]), { id: 'grains-table' }));
    } else grainsBox.appendChild(note('info', 'The master has no grains of this minion.'));
  } else grainsBox.appendChild(failure(`GET /minions/${id}`, g.reason));
  if (j.status === 'fulfilled') {
    const all = (j.value.return && j.value.return[0]) || {};
    const mine = Object.entries(all)
      .filter(([, job]) => Array.isArray(job.Minions) && job.Minions.includes(id))
      .sort(([a], [b]) => (a < b ? 1 : -1)).slice(0, 20);
    jobsBox.appendChild(mine.length
      ? table(['Job', 'Function', 'Started'], mine.map(([jid, job]) => [link(`/ui/jobs/${encodeURIComponent(jid)}`, jid), String(job.Function), String(job.StartTime || '')]))
      : note('info', 'No cached job targeted this minion.'));
  } else jobsBox.appendChild(failure('GET /jobs', j.reason));
  return live.close;
}
