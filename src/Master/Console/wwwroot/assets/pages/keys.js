// /ui/keys: minion keys by state (wheel key.list_all), with accept, reject and delete behind a confirmation dialog
// (wheel key.accept / key.reject / key.delete through POST /). Key events refresh the list.
import { wheel } from '../api.js';
import { el, link, replace, note } from '../dom.js';
import { liveStream, failure } from './common.js';

const GROUPS = [
  ['minions_pre', 'Unaccepted', ['accept', 'reject', 'delete']],
  ['minions', 'Accepted', ['reject', 'delete']],
  ['minions_rejected', 'Rejected', ['accept', 'delete']],
  ['minions_denied', 'Denied', ['accept', 'delete']],
];
const VERB = { accept: 'Accept', reject: 'Reject', delete: 'Delete' };
const DOING = { accept: 'Accepting', reject: 'Rejecting', delete: 'Deleting' };
const DONE = { accept: 'Accepted', reject: 'Rejected', delete: 'Deleted' };
const OPTION = { minions_rejected: { accept: 'include_rejected' }, minions_denied: { accept: 'include_denied' }, minions: { reject: 'include_accepted' } };

export async function render(view, ctx) {
  document.title = 'Keys · Orchestrator';
  const holder = el('div', { id: 'keys' });
  const status = el('div', { id: 'keys-status' });
  const question = el('p', { id: 'confirm-text' });
  const yes = el('button', { type: 'button', id: 'confirm-yes', class: 'danger' }, 'Confirm');
  const no = el('button', { type: 'button', id: 'confirm-no' }, 'Cancel');
  const dialog = el('dialog', { id: 'confirm' }, question, el('p', { class: 'buttons' }, no, ' ', yes));
  let pending = null;
  no.addEventListener('click', () => dialog.close('cancel'));
  yes.addEventListener('click', () => dialog.close('confirm'));
  dialog.addEventListener('close', async () => {
    const action = pending;
    pending = null;
    if (!action || dialog.returnValue !== 'confirm') return;
    replace(status, note('info', `${DOING[action.verb]} ${action.id}…`));
    try {
      const kwarg = { match: [action.id] };
      if (action.option) kwarg[action.option] = true;
      await wheel(`key.${action.verb}`, kwarg);
      replace(status, note('ok', `${DONE[action.verb]} the key of ${action.id}.`));
    } catch (error) {
      replace(status, failure(`key.${action.verb} ${action.id}`, error));
    }
    await load();
  });

  function ask(verb, id, group) {
    pending = { verb, id, option: OPTION[group] && OPTION[group][verb] };
    replace(question, `${VERB[verb]} the key of minion “`, el('strong', null, id), `”?`,
      verb === 'delete' ? ' The minion must offer its key again to come back.' : '');
    replace(yes, VERB[verb]);
    dialog.returnValue = '';
    dialog.showModal();
  }

  async function load() {
    let all;
    try {
      all = await wheel('key.list_all');
    } catch (error) {
      replace(holder, failure('wheel key.list_all', error));
      return;
    }
    replace(holder, GROUPS.map(([group, title, verbs]) => {
      const ids = (Array.isArray(all && all[group]) ? all[group] : []).map(String).sort();
      return el('section', { class: 'key-group', id: `keys-${group}` },
        el('h2', null, `${title} (${ids.length})`),
        ids.length ? el('table', null, el('tbody', null, ids.map((id) => el('tr', { dataset: { minion: id } },
          el('td', null, group === 'minions' ? link(`/ui/minions/${encodeURIComponent(id)}`, id) : id),
          el('td', { class: 'actions' }, verbs.map((verb) => el('button', {
            type: 'button', class: verb === 'delete' || verb === 'reject' ? 'danger' : '', dataset: { action: verb },
            onclick: () => ask(verb, id, group),
          }, VERB[verb]))))))) : el('p', { class: 'empty' }, 'none'));
    }));
  }

  const live = liveStream(({ tag }) => { if (tag === 'salt/key' || tag.startsWith('salt/auth')) load(); }, ctx);
  view.append(el('h1', null, 'Keys ', live.badge), status, holder, dialog);
  await load();
  return live.close;
}
