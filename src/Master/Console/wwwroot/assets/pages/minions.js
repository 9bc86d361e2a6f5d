// /ui/minions: every minion the master knows (by key or grains): key state, up or down (manage.status), last seen
// (manage.last_seen, then the live stream while the page is open: presence events and anything a minion sends), and a
// few grains.
import { get, runner, wheel } from '../api.js';
import { el, link, replace, showStamp, note } from '../dom.js';
import { keyStates, liveStream, failure } from './common.js';

export async function render(view, ctx) {
  document.title = 'Minions · Orchestrator';
  const body = el('tbody');
  const live = liveStream(onEvent, ctx);
  view.append(el('h1', null, 'Minions ', live.badge), el('div', { id: 'minions-errors' }),
    el('table', { id: 'minions' },
      el('thead', null, el('tr', null, ['Minion', 'Key', 'Status', 'Last seen', 'OS', 'Kernel', 'IPv4'].map((h) => el('th', null, h)))),
      body),
    note('info', 'Up/down is manage.status (contact within presence_timeout); last seen is the master\'s last contact with the minion (manage.last_seen), kept current by its events while this page is open.'));
  const rows = new Map();
  const lastSeen = new Map();
  let up = new Set();
  let grains = {};
  let keys = new Map();

  function row(id) {
    const g = grains[id] && typeof grains[id] === 'object' ? grains[id] : {};
    const status = keys.get(id) !== 'accepted' ? '—' : up.has(id) ? 'up' : 'down';
    const cells = [
      link(`/ui/minions/${encodeURIComponent(id)}`, id),
      el('span', { class: `key key-${keys.get(id) || 'unknown'}` }, keys.get(id) || 'no key'),
      el('span', { class: `status status-${status === '—' ? 'none' : status}` }, status),
      showStamp(lastSeen.get(id)) || 'not since the master started',
      [g.os, g.osrelease].filter(Boolean).join(' '),
      g.kernelrelease ? `${g.kernel || ''} ${g.kernelrelease}` : (g.kernel || ''),
      Array.isArray(g.ipv4) ? g.ipv4.filter((a) => a !== '127.0.0.1').join(', ') : '',
    ];
    return el('tr', { dataset: { minion: id } }, cells.map((c) => el('td', null, c)));
  }

  function draw() {
    const ids = [...new Set([...keys.keys(), ...Object.keys(grains)])].sort();
    for (const id of ids) {
      const fresh = row(id);
      if (rows.has(id)) rows.get(id).replaceWith(fresh);
      rows.set(id, fresh);
    }
    replace(body, ids.map((id) => rows.get(id)));
    if (ids.length === 0) body.appendChild(el('tr', null, el('td', { colspan: 7 }, 'No minions: no key has been offered yet.')));
  }

  function onEvent({ tag, data }) {
    const stamp = data._stamp;
    if (tag === 'salt/presence/present' && Array.isArray(data.present)) {
      for (const id of data.present) lastSeen.set(String(id), stamp);
      up = new Set([...up, ...data.present.map(String)]);
    } else if (tag === 'salt/presence/change') {
      for (const id of data.new || []) up.add(String(id));
      for (const id of data.lost || []) up.delete(String(id));
    } else if (typeof data.id === 'string' && !tag.startsWith('salt/key')) {
      lastSeen.set(data.id, stamp);
      if (/^salt\/minion\/[^/]+\/start$/.test(tag)) up.add(data.id);
    } else return;
    draw();
  }

  const errors = view.querySelector('#minions-errors');
  const [g, k, s, seen] = await Promise.allSettled([get('/minions'), wheel('key.list_all'), runner('manage.status'), runner('manage.last_seen')]);
  if (g.status === 'fulfilled') grains = (g.value.return && g.value.return[0]) || {};
  else errors.appendChild(failure('Grains (GET /minions)', g.reason));
  if (k.status === 'fulfilled') keys = keyStates(k.value);
  else errors.appendChild(failure('Keys (wheel key.list_all)', k.reason));
  if (s.status === 'fulfilled') up = new Set((s.value && s.value.up || []).map(String));
  else errors.appendChild(failure('Up/down (runner manage.status)', s.reason));
  if (seen.status === 'fulfilled' && seen.value && typeof seen.value === 'object') {
    for (const [id, stamp] of Object.entries(seen.value)) {
      // An event that arrived while the runner answered is newer: keep it.
      if (stamp && !lastSeen.has(id)) lastSeen.set(id, String(stamp));
    }
  } else if (seen.status === 'rejected') errors.appendChild(failure('Last seen (runner manage.last_seen)', seen.reason));
  draw();
  return live.close;
}
