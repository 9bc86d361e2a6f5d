// The requisite graph of a state run as SVG: nodes are the states in run order, coloured by their result; edges come
// from the requisites of the minion's state tree (state.show_lowstate, or state.show_sls for given mods).
import { svg, el } from './dom.js';
import { globMatch } from './glob.js';
import { outcome, orderedStates } from './output.js';

// Requisites whose target runs first: an edge from the target to the state that declares it.
const AFTER = ['require', 'require_any', 'watch', 'watch_any', 'onchanges', 'onchanges_any', 'onfail', 'onfail_any',
  'onfail_all', 'listen', 'use'];
const KIND_CLASS = { require: 'require', watch: 'watch', onchanges: 'onchanges', onfail: 'onfail', prereq: 'prereq', listen: 'watch', use: 'use' };

export function tagOf(chunk) {
  return `${chunk.state}_|-${chunk.__id__}_|-${chunk.name}_|-${chunk.fun}`;
}

/** Salt's high data (state.show_sls) as low chunks: one per state declaration and name. */
export function highToLow(high) {
  const chunks = [];
  for (const [id, body] of Object.entries(high || {})) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) continue;
    for (const [key, items] of Object.entries(body)) {
      if (key.startsWith('__') || !Array.isArray(items)) continue;
      let [state, fun] = key.split('.', 2);
      const args = {};
      for (const item of items) {
        if (typeof item === 'string') fun = item;
        else if (item && typeof item === 'object') Object.assign(args, item);
      }
      const names = Array.isArray(args.names) ? args.names : [args.name ?? id];
      for (const entry of names) {
        const name = entry && typeof entry === 'object' ? Object.keys(entry)[0] : entry;
        chunks.push({ ...args, state, fun, __id__: id, name: String(name), __sls__: body.__sls__ });
      }
    }
  }
  return chunks;
}

function matches(chunk, ref) {
  if (typeof ref === 'string') return chunk.__id__ === ref || chunk.name === ref;
  if (!ref || typeof ref !== 'object') return false;
  const [[type, value] = []] = Object.entries(ref);
  const text = String(value);
  if (type === 'sls') return globMatch(text, String(chunk.__sls__ ?? ''));
  if (type === 'id') return chunk.__id__ === text;
  return (type === '*' || chunk.state === type) && (globMatch(text, String(chunk.__id__)) || globMatch(text, String(chunk.name)));
}

function family(kind) {
  return KIND_CLASS[kind.replace(/_(any|all)$/, '')] ?? 'require';
}

/** Nodes {tag, label, kind} in run order and edges {from, to, kind} between them. */
export function buildGraph(chunks, ret) {
  const results = ret && typeof ret === 'object' && !Array.isArray(ret) ? orderedStates(ret) : [];
  const nodes = results.length
    ? results.map(({ tag, ret: r }) => ({ tag, label: `${tag.split('_|-')[0]}: ${r.__id__ ?? tag.split('_|-')[1]}`, kind: outcome(r), result: r }))
    : chunks.map((c) => ({ tag: tagOf(c), label: `${c.state}: ${c.__id__}`, kind: 'pending' }));
  const index = new Map(nodes.map((n, i) => [n.tag, i]));
  const edges = [];
  const seen = new Set();
  const add = (from, to, kind) => {
    const a = index.get(tagOf(from));
    const b = index.get(tagOf(to));
    const key = `${a}>${b}>${kind}`;
    if (a === undefined || b === undefined || a === b || seen.has(key)) return;
    seen.add(key);
    edges.push({ from: a, to: b, kind: family(kind) });
  };
  for (const chunk of chunks) {
    for (const [key, refs] of Object.entries(chunk)) {
      if (!Array.isArray(refs)) continue;
      const isIn = key.endsWith('_in');
      const kind = isIn ? key.slice(0, -3) : key;
      if (kind !== 'prereq' && !AFTER.includes(kind)) continue;
      for (const ref of refs) {
        for (const other of chunks.filter((c) => c !== chunk && matches(c, ref))) {
          // "A require B" runs B first; "A prereq B" runs A first; an _in form swaps the two sides.
          const first = (kind === 'prereq') !== isIn ? chunk : other;
          add(first, first === chunk ? other : chunk, kind);
        }
      }
    }
  }
  return { nodes, edges };
}

const NODE_H = 28;
const ROW_GAP = 14;
const COL_GAP = 56;
const CHAR_W = 7.2;
const MAX_CHARS = 36;

function clip(text) {
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}

/** The graph laid out left to right by depth (a state sits one column after the last state it waits for). */
export function renderGraph(graph) {
  const { nodes, edges } = graph;
  const layer = nodes.map(() => 0);
  for (let i = 0; i < nodes.length; i++) {
    for (const e of edges) if (e.to === i && e.from < i) layer[i] = Math.max(layer[i], layer[e.from] + 1);
  }
  const columns = [];
  nodes.forEach((n, i) => (columns[layer[i]] ??= []).push(i));
  const width = nodes.map((n) => Math.max(80, clip(n.label).length * CHAR_W + 20));
  const colWidth = columns.map((col) => Math.max(...col.map((i) => width[i])));
  const colX = [];
  let x = 10;
  for (const w of colWidth) { colX.push(x); x += w + COL_GAP; }
  const pos = [];
  columns.forEach((col, c) => col.forEach((i, row) => { pos[i] = { x: colX[c], y: 10 + row * (NODE_H + ROW_GAP), w: width[i] }; }));
  const totalW = Math.max(200, x - COL_GAP + 10);
  const totalH = Math.max(60, 20 + Math.max(0, ...columns.map((col) => col.length)) * (NODE_H + ROW_GAP));
  const root = svg('svg', {
    class: 'graph', viewBox: `0 0 ${totalW} ${totalH}`, width: totalW, height: totalH, role: 'img',
    'aria-label': `Requisite graph: ${nodes.length} states, ${edges.length} requisites`,
  });
  const defs = svg('defs', null);
  for (const kind of ['require', 'watch', 'onchanges', 'onfail', 'prereq', 'use']) {
    defs.appendChild(svg('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: `arrowhead edge-${kind}` })));
  }
  root.appendChild(defs);
  for (const e of edges) {
    const a = pos[e.from];
    const b = pos[e.to];
    let d;
    if (b.x > a.x) {
      const x1 = a.x + a.w; const y1 = a.y + NODE_H / 2; const x2 = b.x; const y2 = b.y + NODE_H / 2;
      const mid = (x1 + x2) / 2;
      d = `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`;
    } else {
      // Same column or backwards (prereq): loop around the right-hand side.
      const x1 = a.x + a.w; const y1 = a.y + NODE_H / 2; const x2 = b.x + b.w; const y2 = b.y + NODE_H / 2;
      const out = Math.max(x1, x2) + 30;
      d = `M ${x1} ${y1} C ${out} ${y1}, ${out} ${y2}, ${x2} ${y2}`;
    }
    root.appendChild(svg('path', { d, class: `edge edge-${e.kind}`, 'marker-end': `url(#arrow-${e.kind})` },
      svg('title', null, `${nodes[e.to].label} ${e.kind} ${nodes[e.from].label}`)));
  }
  nodes.forEach((n, i) => {
    const p = pos[i];
    root.appendChild(svg('g', { class: `node node-${n.kind}`, dataset: { tag: n.tag } },
      svg('title', null, `${n.tag}${n.result ? ` — result: ${n.result.result}` : ''}`),
      svg('rect', { x: p.x, y: p.y, width: p.w, height: NODE_H, rx: 5 }),
      svg('text', { x: p.x + 10, y: p.y + NODE_H / 2 + 4 }, clip(n.label))));
  });
  return root;
}

/** The legend under the graph. */
export function legend() {
  const item = (cls, text) => el('span', { class: `legend-item ${cls}` }, text);
  return el('p', { class: 'legend' },
    item('node-ok', 'succeeded'), item('node-changed', 'changed'), item('node-differs', 'would change / None'),
    item('node-failed', 'failed'), item('node-pending', 'not run'),
    item('edge-require', 'require'), item('edge-watch', 'watch / listen'), item('edge-onchanges', 'onchanges'),
    item('edge-onfail', 'onfail'), item('edge-prereq', 'prereq'));
}
