// Salt's outputters, the way the orch CLI prints them (src/Shared/Output): "nested" for any return and "highstate" for
// state runs. They produce lines of text (built as text nodes), coloured by CSS class instead of ANSI codes.
import { el } from './dom.js';

/** Python's repr of a scalar as Salt's outputters print it. */
export function py(value) {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isMap(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Salt's nested outputter: "----------" before a mapping, "key:" then the value indented by 4; lists as "- item". */
export function nestedLines(value, indent, out = []) {
  const pad = ' '.repeat(indent);
  if (isMap(value)) {
    out.push(`${pad}----------`);
    for (const key of Object.keys(value).sort()) {
      out.push(`${pad}${key}:`);
      nestedLines(value[key], indent + 4, out);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) {
      if (isMap(item) || Array.isArray(item)) {
        out.push(`${pad}|_`);
        nestedLines(item, indent + 2, out);
      } else out.push(`${pad}- ${py(item)}`);
    }
  } else if (typeof value === 'string') {
    for (const line of value.split('\n')) out.push(pad + line);
  } else out.push(pad + py(value));
  return out;
}

/** A minion's plain return, as "orch run" prints it with the nested outputter. */
export function renderNested(minion, ret) {
  return el('pre', { class: 'output' },
    el('span', { class: 'c-minion' }, `${minion}:\n`),
    nestedLines(ret, 4).join('\n') + '\n');
}

/** Whether a return is a state run's: a mapping of "state_|-id_|-name_|-fun" keys, or a list of compile errors. */
export function isHighstate(ret) {
  if (Array.isArray(ret)) return ret.length > 0 && ret.every((x) => typeof x === 'string');
  return isMap(ret) && Object.keys(ret).length > 0 && Object.keys(ret).every((k) => k.split('_|-').length >= 4);
}

/** A state's outcome class: failed, differs (None), changed or ok. */
export function outcome(result) {
  if (!result || result.result === false) return 'failed';
  if (result.result === null || result.result === undefined) return 'differs';
  const changes = result.changes;
  return changes && typeof changes === 'object' && Object.keys(changes).length > 0 ? 'changed' : 'ok';
}

function ms(value) {
  const text = Number(value || 0).toFixed(3);
  return text.replace(/\.?0+$/, '');
}

/** The state returns of a run in run order (__run_num__), each as {tag, ret}. */
export function orderedStates(ret) {
  return Object.entries(ret)
    .filter(([, r]) => isMap(r))
    .map(([tag, r]) => ({ tag, ret: r }))
    .sort((a, b) => (a.ret.__run_num__ ?? Number.MAX_SAFE_INTEGER) - (b.ret.__run_num__ ?? Number.MAX_SAFE_INTEGER));
}

/** A minion's state run, as the highstate outputter prints it (full output, verbose). */
export function renderHighstate(minion, ret) {
  const pre = el('pre', { class: 'output highstate' });
  const line = (cls, text) => pre.appendChild(el('span', { class: cls }, `${text}\n`));
  if (Array.isArray(ret)) {
    line('c-failed', `${minion}:`);
    line('c-failed-strong', '    Data failed to compile:');
    for (const error of ret) {
      line('c-failed', '----------');
      line('c-failed', `    ${error}`);
    }
    return pre;
  }
  const states = orderedStates(ret);
  const allFine = states.every((s) => s.ret.result !== false);
  line(allFine ? 'c-ok' : 'c-failed', `${minion}:`);
  let succeeded = 0; let changed = 0; let unchanged = 0; let failed = 0; let total = 0;
  for (const { tag, ret: r } of states) {
    const kind = outcome(r);
    total += Number(r.duration || 0);
    if (kind === 'failed') failed++;
    else {
      succeeded++;
      if (kind === 'differs') unchanged++;
      if (r.changes && typeof r.changes === 'object' && Object.keys(r.changes).length > 0) changed++;
    }
    const parts = tag.split('_|-');
    const cls = `c-${kind}`;
    const id = r.__id__ ?? parts[1];
    const name = r.name ?? parts[2];
    const comment = Array.isArray(r.comment) ? r.comment.join('\n') : py(r.comment ?? '');
    const commentLines = comment.split('\n');
    line(cls, '----------');
    line(cls, `          ID: ${id}`);
    line(cls, `    Function: ${parts[0]}.${parts[parts.length - 1]}`);
    line(cls, `        Name: ${name}`);
    line(cls, `      Result: ${py(r.result)}`);
    line(cls, `     Comment: ${commentLines[0]}`);
    for (const extra of commentLines.slice(1)) line(cls, `              ${extra}`);
    line(cls, `     Started: ${r.start_time ?? ''}`);
    line(cls, `    Duration: ${ms(r.duration)} ms`);
    line(cls, '     Changes:   ');
    if (r.changes && typeof r.changes === 'object' && Object.keys(r.changes).length > 0) {
      for (const text of nestedLines(r.changes, 14)) line('c-changed', text);
    }
  }
  pre.appendChild(document.createTextNode('\n'));
  line('c-changed', `Summary for ${minion}`);
  line('c-changed', '------------');
  const detail = [];
  if (unchanged > 0) detail.push(`unchanged=${unchanged}`);
  if (changed > 0) detail.push(`changed=${changed}`);
  pre.appendChild(el('span', { class: 'c-ok' }, `Succeeded: ${succeeded}`));
  line('c-changed', detail.length ? ` (${detail.join(', ')})` : '');
  line(failed > 0 ? 'c-failed' : 'c-changed', `Failed:    ${String(failed)}`);
  line('c-changed', '------------');
  line('c-changed', `Total states run: ${String(states.length).padStart(5)}`);
  const [amount, unit] = total > 999 ? [total / 1000, 's'] : [total, 'ms'];
  line('c-changed', `Total run time: ${amount.toFixed(3).padStart(7)} ${unit}`);
  return pre;
}
