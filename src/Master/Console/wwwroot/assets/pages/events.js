// /ui/events?tag=<glob>: the master's live event stream, filtered by a tag glob the user types (kept in the URL, so a
// filtered view can be shared). Newest first, the last 500 kept.
import { el, link, showStamp, replace } from '../dom.js';
import { globMatch } from '../glob.js';
import { liveStream } from './common.js';

const KEEP = 500;

function jobLink(tag) {
  const m = /^salt\/job\/([^/]+)\//.exec(tag) || /^salt\/run\/([^/]+)\//.exec(tag);
  return m ? link(`/ui/jobs/${encodeURIComponent(m[1])}`, 'job') : null;
}

export async function render(view, ctx) {
  document.title = 'Events · Orchestrator';
  const filter = el('input', { id: 'event-filter', placeholder: 'tag glob, e.g. salt/job/*/ret/*', value: ctx.query.get('tag') || '' });
  const pause = el('button', { type: 'button', id: 'event-pause' }, 'Pause');
  const clear = el('button', { type: 'button', id: 'event-clear' }, 'Clear');
  const count = el('span', { id: 'event-count' }, '0 events');
  const list = el('ol', { id: 'events', class: 'events', reversed: true });
  let paused = false;
  let shown = 0;
  let seen = 0;

  const setCount = () => replace(count, `${shown} shown of ${seen} received since this page opened${paused ? ' (paused)' : ''}`);
  const matches = (tag) => globMatch(filter.value.trim(), tag);
  filter.addEventListener('input', () => {
    for (const item of list.children) item.hidden = !matches(item.dataset.tag);
    shown = [...list.children].filter((i) => !i.hidden).length;
    const url = new URL(location.href);
    if (filter.value.trim()) url.searchParams.set('tag', filter.value.trim());
    else url.searchParams.delete('tag');
    history.replaceState(null, '', url.pathname + url.search);
    setCount();
  });
  pause.addEventListener('click', () => {
    paused = !paused;
    replace(pause, paused ? 'Resume' : 'Pause');
    setCount();
  });
  clear.addEventListener('click', () => {
    list.replaceChildren();
    shown = 0;
    setCount();
  });

  const live = liveStream(({ tag, data }) => {
    seen++;
    if (paused) { setCount(); return; }
    const visible = matches(tag);
    const item = el('li', { class: 'event', dataset: { tag }, hidden: !visible },
      el('div', { class: 'event-head' },
        el('time', null, showStamp(data._stamp)), ' ',
        link(`/ui/events?tag=${encodeURIComponent(tag)}`, el('code', { class: 'event-tag' }, tag)), ' ',
        jobLink(tag),
        typeof data.id === 'string' ? [' ', link(`/ui/minions/${encodeURIComponent(data.id)}`, data.id)] : null),
      el('details', null, el('summary', null, 'data'), el('pre', { class: 'event-data' }, JSON.stringify(data, null, 2))));
    list.prepend(item);
    if (visible) shown++;
    while (list.children.length > KEEP) {
      if (!list.lastChild.hidden) shown--;
      list.lastChild.remove();
    }
    setCount();
  }, ctx);
  view.append(el('h1', null, 'Events ', live.badge),
    el('p', { class: 'toolbar' }, el('label', { for: 'event-filter' }, 'Tag glob: '), filter, ' ', pause, ' ', clear, ' ', count),
    list);
  setCount();
  return live.close;
}
