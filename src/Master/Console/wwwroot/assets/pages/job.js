// /ui/jobs/<jid>: one job. Live progress k of n from the event stream (salt/job/<jid>/new and /ret/<id>) over what the
// job cache already has (GET /jobs/<jid>), each minion's result (state runs as the highstate outputter prints them), and
// for a state run the requisite graph of the minion's current state tree, coloured by this job's results.
import { get, local } from '../api.js';
import { el, link, replace, note } from '../dom.js';
import { renderNested, renderHighstate, isHighstate } from '../output.js';
import { buildGraph, renderGraph, legend, highToLow } from '../graph.js';
import { liveStream, failure } from './common.js';

const STATE_RUNS = new Set(['state.apply', 'state.highstate', 'state.sls', 'state.sls_id', 'state.single', 'state.test', 'state.top']);

/** The mods a state run was given, if any (arg[0] or mods=), to ask the minion for the same SLS. */
function modsOf(fun, args) {
  if (!['state.apply', 'state.sls', 'state.test'].includes(fun) || !Array.isArray(args)) return null;
  for (const a of args) {
    if (a && typeof a === 'object' && !Array.isArray(a) && a.mods !== undefined) return a.mods;
  }
  const first = args.find((a) => typeof a === 'string' && !a.includes('='));
  return first ?? null;
}

export async function render(view, ctx) {
  const [jid] = ctx.params;
  document.title = `Job ${jid} · Orchestrator`;
  const state = { fun: '', args: [], expected: [], returns: new Map() };
  const progressText = el('span', { id: 'job-progress-text' }, 'loading…');
  const progress = el('progress', { id: 'job-progress', max: 1, value: 0 });
  const facts = el('dl', { class: 'facts', id: 'job-facts' });
  const results = el('section', { id: 'job-results' }, el('h2', null, 'Results'));
  const graphBox = el('section', { id: 'job-graph', hidden: true });
  const buffered = [];
  let loaded = false;
  let graphReady = false;
  let chunks = [];
  let graphMinion = '';
  const graphHolder = el('div', { class: 'graph-holder', id: 'graph-holder' });

  const live = liveStream(({ tag, data }) => {
    if (!tag.startsWith(`salt/job/${jid}/`)) return;
    if (!loaded) buffered.push({ tag, data });
    else onJobEvent(tag, data);
  }, ctx);
  view.append(el('p', { class: 'crumbs' }, link('/ui/jobs', 'Jobs'), ' / '),
    el('h1', null, `Job ${jid} `, live.badge), facts,
    el('p', { class: 'progress' }, progress, ' ', progressText), graphBox, results);

  function fact(name, value) {
    facts.append(el('dt', null, name), el('dd', null, value));
  }

  function drawProgress() {
    const n = state.expected.length;
    const k = state.expected.filter((id) => state.returns.has(id)).length + [...state.returns.keys()].filter((id) => !state.expected.includes(id)).length;
    progress.max = Math.max(1, n);
    progress.value = k;
    const failed = [...state.returns.values()].filter((r) => r.success === false).length;
    replace(progressText, `${k} of ${n} minions returned${failed ? `, ${failed} failed` : ''}${k >= n && n > 0 ? ' — done' : ''}`);
    progressText.dataset.returned = String(k);
    progressText.dataset.expected = String(n);
  }

  const sections = new Map();
  function drawMinion(id) {
    let section = sections.get(id);
    if (!section) {
      section = el('article', { class: 'minion-result', dataset: { minion: id } });
      sections.set(id, section);
      results.appendChild(section);
    }
    const ret = state.returns.get(id);
    const heading = el('h3', null, link(`/ui/minions/${encodeURIComponent(id)}`, id), ' ');
    if (!ret) {
      replace(section, heading, el('span', { class: 'badge badge-connecting' }, 'waiting'));
      return;
    }
    const ok = ret.success !== false && !(ret.retcode > 0);
    heading.appendChild(el('span', { class: `badge ${ok ? 'badge-live' : 'badge-down'}` }, ok ? 'succeeded' : `failed (retcode ${ret.retcode ?? '?'})`));
    const body = isHighstate(ret.return) ? renderHighstate(id, ret.return) : renderNested(id, ret.return);
    replace(section, heading, body);
  }

  function onJobEvent(tag, data) {
    if (tag === `salt/job/${jid}/new`) {
      if (Array.isArray(data.minions)) for (const id of data.minions) if (!state.expected.includes(String(id))) state.expected.push(String(id));
      if (!state.fun && data.fun) state.fun = String(data.fun);
      for (const id of state.expected) drawMinion(id);
    } else {
      const prefix = `salt/job/${jid}/ret/`;
      if (!tag.startsWith(prefix) || tag.length === prefix.length) return;
      const id = tag.slice(prefix.length);
      state.returns.set(id, { return: data.return, success: data.success, retcode: data.retcode });
      drawMinion(id);
      if (graphReady) drawGraph();
    }
    drawProgress();
  }

  let answer;
  try {
    answer = await get(`/jobs/${encodeURIComponent(jid)}`);
  } catch (error) {
    results.appendChild(failure(`GET /jobs/${jid}`, error));
    answer = {};
  }
  const info = (Array.isArray(answer.info) && answer.info[0]) || {};
  state.fun = String(info.Function ?? '');
  state.args = Array.isArray(info.Arguments) ? info.Arguments : [];
  state.expected = Array.isArray(info.Minions) ? info.Minions.map(String) : [];
  const cached = (Array.isArray(answer.return) && answer.return[0]) || {};
  const detail = info.Result && typeof info.Result === 'object' ? info.Result : {};
  for (const [id, ret] of Object.entries(cached)) {
    const d = detail[id] || {};
    state.returns.set(id, { return: ret, success: d.success, retcode: d.retcode });
  }
  if (!info.Function && Object.keys(cached).length === 0) {
    results.appendChild(note('info', 'The job cache has nothing under this jid (yet): returns that arrive now are shown.'));
  }
  fact('Function', state.fun || '—');
  fact('Arguments', JSON.stringify(state.args));
  fact('Target', `${Array.isArray(info.Target) ? info.Target.join(',') : String(info.Target ?? '—')} (${String(info['Target-type'] ?? 'glob')})`);
  fact('User', String(info.User ?? '—'));
  fact('Started (UTC)', String(info.StartTime ?? '—'));
  for (const id of [...new Set([...state.expected, ...state.returns.keys()])].sort()) drawMinion(id);
  loaded = true;
  for (const { tag, data } of buffered.splice(0)) onJobEvent(tag, data);
  drawProgress();

  function drawGraph() {
    const ret = state.returns.get(graphMinion);
    replace(graphHolder, renderGraph(buildGraph(chunks, ret && ret.return)));
  }
  if (STATE_RUNS.has(state.fun)) {
    graphBox.hidden = false;
    const picker = el('select', { id: 'graph-minion' });
    const minions = [...new Set([...state.returns.keys(), ...state.expected])].sort();
    for (const id of minions) picker.appendChild(el('option', { value: id }, id));
    const status = el('div', { id: 'graph-status' });
    const mods = modsOf(state.fun, state.args);
    graphBox.append(el('h2', null, 'Requisite graph'),
      note('info', `The edges are those of the minion's current state tree (${mods ? `state.show_sls ${mods}` : 'state.show_lowstate'} now), `
        + 'not necessarily the tree as it was when this job ran; the colours are this job\'s results.'),
      el('p', null, el('label', { for: 'graph-minion' }, 'Minion: '), picker), status, graphHolder, legend());
    const load = async () => {
      graphMinion = picker.value;
      graphReady = false;
      replace(status, note('info', `Asking ${graphMinion} for its state tree…`));
      try {
        const fun = mods ? 'state.show_sls' : 'state.show_lowstate';
        const answerLow = await local(graphMinion, fun, mods ? [mods] : [], {}, 'list');
        const low = answerLow && answerLow[graphMinion];
        if (low === undefined) throw new Error(`${graphMinion} did not answer ${fun}`);
        if (Array.isArray(low)) chunks = low.filter((c) => c && typeof c === 'object');
        else if (low && typeof low === 'object') chunks = highToLow(low);
        else throw new Error(`${fun} returned ${JSON.stringify(low)}`);
        replace(status);
      } catch (error) {
        chunks = [];
        replace(status, failure('The requisites could not be read; states are shown without edges', error));
      }
      graphReady = true;
      drawGraph();
    };
    picker.addEventListener('change', load);
    if (minions.length) await load();
  }
  return live.close;
}
