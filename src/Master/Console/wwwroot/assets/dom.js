// DOM building for the console. Data is attacker-controlled (minion ids, grains, event data): it only ever becomes text
// nodes and attribute values, never markup. Nothing here sets innerHTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

function setAttributes(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'value' && 'value' in node) node.value = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
}

/** An HTML element: el('a', {href: '/ui/jobs', class: 'x'}, 'text', otherNode). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

/** An SVG element, same calling convention as el. */
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

/** Replaces the children of node. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A link inside the console (handled by the router without a page load). */
export function link(href, ...children) {
  return el('a', { href }, ...children);
}

/** A table with a header row; rows are arrays of cells (strings or nodes). */
export function table(headers, rows, attrs) {
  return el('table', attrs,
    el('thead', null, el('tr', null, headers.map((h) => el('th', null, h)))),
    el('tbody', null, rows.map((cells) => el('tr', null, cells.map((c) => el('td', null, c))))));
}

/** A message line: kind is 'error', 'info' or 'ok'. */
export function note(kind, ...children) {
  return el('p', { class: `note note-${kind}`, role: kind === 'error' ? 'alert' : null }, ...children);
}

/** The current time as Salt's _stamp has it, for events that carry none. */
export function stampNow() {
  return new Date().toISOString().replace('Z', '');
}

/** A _stamp (UTC, no zone) for display: date and time to the second. */
export function showStamp(stamp) {
  if (typeof stamp !== 'string' || stamp.length < 19) return stamp ? String(stamp) : '';
  return `${stamp.slice(0, 10)} ${stamp.slice(11, 19)}`;
}
