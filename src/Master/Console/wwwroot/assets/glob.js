// Python's fnmatch as Salt uses it for tag and target globs: * ? [seq] [!seq], everything else literal.

export function globToRegExp(pattern) {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) { out += '\\['; continue; }
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      body = body.replace(/\\/g, '\\\\').replace(/\^/g, '\\^');
      out += `[${negate ? '^' : ''}${body}]`;
      i = end;
    } else out += c.replace(/[.+^${}()|\\/\]-]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

/** Whether text matches the glob (an empty glob matches everything). */
export function globMatch(pattern, text) {
  if (!pattern) return true;
  try {
    return globToRegExp(pattern).test(text);
  } catch {
    return false;
  }
}
