// The console's only way to the master: the REST API of the same origin (salt-api's shapes), with the token the user
// logged in for. The token lives in sessionStorage: it is gone when the tab closes and is not sent to other tabs.

const KEY = 'orchestrator.session';

/** Thrown when the API refuses the token (missing, expired, revoked): the router sends the user to the login page. */
export class AuthError extends Error {}

/** Any other failed call: status and the API's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The logged-in session {token, user, eauth, expire, perms}, or null. */
export function session() {
  let value;
  try {
    value = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  } catch {
    value = null;
  }
  if (!value || typeof value.token !== 'string') return null;
  if (typeof value.expire === 'number' && value.expire * 1000 < Date.now()) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return value;
}

function forget() {
  sessionStorage.removeItem(KEY);
}

async function message(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    if (body && typeof body.return === 'string') return body.return;
    return text;
  } catch {
    return text || response.statusText;
  }
}

async function request(method, path, body) {
  const current = session();
  const headers = { Accept: 'application/json' };
  if (current) headers['X-Auth-Token'] = current.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (response.status === 401) {
    forget();
    throw new AuthError(await message(response));
  }
  if (!response.ok) throw new ApiError(response.status, `${response.status}: ${await message(response)}`);
  return response.json();
}

/** POST /login; keeps the token and returns the session. */
export async function login(username, password, eauth) {
  const response = await fetch('/login', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password, eauth }),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!response.ok) {
    const reason = response.status === 401 ? 'Wrong user name, password or eauth' : `${response.status}: ${await message(response)}`;
    throw new ApiError(response.status, reason);
  }
  const body = await response.json();
  const ticket = body && Array.isArray(body.return) ? body.return[0] : null;
  if (!ticket || typeof ticket.token !== 'string') throw new ApiError(500, 'The API answered the login without a token');
  const value = { token: ticket.token, user: ticket.user, eauth: ticket.eauth, expire: ticket.expire, perms: ticket.perms };
  sessionStorage.setItem(KEY, JSON.stringify(value));
  return value;
}

/** POST /logout (best effort) and forget the token. */
export async function logout() {
  try {
    if (session()) await request('POST', '/logout', {});
  } catch {
    // The token is forgotten here whatever the API said.
  } finally {
    forget();
  }
}

/** GET a salt-api path; returns the parsed body. */
export function get(path) {
  return request('GET', path);
}

/** POST / with one lowstate chunk; returns its entry of "return". */
export async function run(chunk) {
  const body = await request('POST', '/', [chunk]);
  if (!body || !Array.isArray(body.return)) throw new ApiError(500, 'The API answered without a return list');
  return body.return[0];
}

/** A local (synchronous) job: {minion: return}. */
export function local(tgt, fun, arg = [], kwarg = {}, tgtType = 'glob') {
  return run({ client: 'local', tgt, tgt_type: tgtType, fun, arg, kwarg });
}

/** A runner call: the runner's return. */
export function runner(fun, kwarg = {}) {
  return run({ client: 'runner', fun, kwarg });
}

/** A wheel call: the wheel function's return; throws with its message when it failed. */
export async function wheel(fun, kwarg = {}) {
  const answer = await run({ client: 'wheel', fun, kwarg });
  const data = answer && answer.data;
  if (!data) throw new ApiError(500, `wheel ${fun}: no data in the answer`);
  if (data.success === false) throw new ApiError(500, `wheel ${fun}: ${typeof data.return === 'string' ? data.return : JSON.stringify(data.return)}`);
  return data.return;
}

/**
 * The master's live event stream (GET /events, server-sent events as rest_cherrypy sends them: each message's data is
 * {"tag", "data"}). onEvent gets {tag, data}; onStatus gets 'connecting', 'live' or 'down'. Returns a function that
 * closes the stream. EventSource cannot send headers, so the token goes in the query, as salt-api allows.
 */
export function events(onEvent, onStatus = () => {}) {
  const current = session();
  if (!current) throw new AuthError('not logged in');
  onStatus('connecting');
  const source = new EventSource(`/events?token=${encodeURIComponent(current.token)}`);
  source.onopen = () => onStatus('live');
  source.onerror = () => {
    // EventSource reconnects by itself; a token that expired meanwhile shows as a stream that stays down.
    onStatus(source.readyState === EventSource.CLOSED ? 'down' : 'connecting');
    if (!session()) source.close();
  };
  source.onmessage = (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (event && typeof event.tag === 'string') onEvent({ tag: event.tag, data: event.data ?? {} });
  };
  return () => source.close();
}
