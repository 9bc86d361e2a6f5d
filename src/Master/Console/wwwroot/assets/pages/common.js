// Pieces several pages share: a value shown compactly, the live-stream status badge, key states.
import { el, replace } from '../dom.js';
import { py } from '../output.js';
import { events, AuthError } from '../api.js';

/** A grain or return value in one cell: scalars as text, structures as indented JSON. */
export function valueCell(value) {
  if (value !== null && typeof value === 'object') return el('pre', { class: 'value' }, JSON.stringify(value, null, 2));
  return el('span', { class: 'value' }, py(value));
}

/** Opens the event stream with a status badge; returns {badge, close}. */
export function liveStream(onEvent, ctx) {
  const badge = el('span', { class: 'badge badge-connecting', id: 'live-status' }, 'connecting');
  const status = (state) => {
    badge.className = `badge badge-${state}`;
    replace(badge, state === 'live' ? 'live' : state === 'down' ? 'stream down' : 'connecting');
  };
  let close = () => {};
  try {
    close = events((event) => {
      try {
        onEvent(event);
      } catch (error) {
        if (error instanceof AuthError) ctx.expired();
        else console.error('live update failed', error);
      }
    }, status);
  } catch (error) {
    if (error instanceof AuthError) ctx.expired();
    else throw error;
  }
  return { badge, close: () => close() };
}

/** wheel key.list_all as a map: minion id → accepted, unaccepted, rejected or denied. */
export function keyStates(all) {
  const states = new Map();
  const put = (list, state) => { for (const id of Array.isArray(list) ? list : []) states.set(String(id), state); };
  put(all && all.minions_denied, 'denied');
  put(all && all.minions_rejected, 'rejected');
  put(all && all.minions_pre, 'unaccepted');
  put(all && all.minions, 'accepted');
  return states;
}

/** A failure shown in place of what could not be loaded, without hiding the rest of the page. */
export function failure(what, error) {
  if (error instanceof AuthError) throw error;
  return el('p', { class: 'note note-error', role: 'alert' }, `${what}: ${error.message}`);
}
