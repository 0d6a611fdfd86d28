// Shared helpers for the Chorus pages: REST calls, safe DOM building, the live socket.
// Server data is only ever put into the page with textContent / createElement, never innerHTML.

/** A REST error with the server's stable code and its human message. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfterSeconds) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Calls the REST API; resolves to the JSON answer or rejects with an ApiError. */
export async function api(method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', 'We could not reach the server. Check your connection and try again.');
  }
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    const retry = Number(err.retryAfterSeconds || (data && data.retryAfterSeconds) || res.headers.get('Retry-After') || 0);
    throw new ApiError(res.status, err.code || 'error', err.message || `Request failed (${res.status})`, retry);
  }
  return data;
}

/**
 * Creates an element. attrs: class, text, dataset (object), hidden, disabled, and any other attribute
 * (set with setAttribute). Children: nodes or strings (added as text).
 */
/**
 * REST calls with a signed-in account's token: {@code account()} gives the current sign-in, and a 401
 * calls {@code onExpired} (back to the sign-in form) before the error is passed on.
 */
export function signedInApi(account, onExpired) {
  return async (method, path, body) => {
    const current = account();
    try {
      return await api(method, path, { body, token: current && current.token });
    } catch (err) {
      if (err.status === 401) onExpired('Your sign-in has expired. Please sign in again.');
      throw err;
    }
  };
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'hidden' || key === 'disabled') node[key] = Boolean(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Shows one message in a status/alert element (empty text hides it). */
export function say(node, text, kind = 'error') {
  node.textContent = text || '';
  node.hidden = !text;
  node.dataset.kind = kind;
}

export function readJson(storage, key) {
  try {
    return JSON.parse(storage.getItem(key));
  } catch (e) {
    return null;
  }
}

export function writeJson(storage, key, value) {
  if (value === null || value === undefined) storage.removeItem(key);
  else storage.setItem(key, JSON.stringify(value));
}

export function wsUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`;
}

/** A random id of [A-Za-z0-9_-] for one contribution (kept when it is resent). */
export function newClientId() {
  const raw = globalThis.crypto && crypto.randomUUID
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `c-${raw.replace(/[^A-Za-z0-9_-]/g, '')}`;
}

/** Codes after which reconnecting with the same token cannot help. */
const FATAL = new Set(['unauthorized', 'token_expired', 'forbidden', 'dialogue_not_found', 'removed']);

/**
 * The live room socket: sends hello first, reconnects with back-off (1 s, 2 s, 4 s … 30 s) after a
 * close, and pings every 25 s to keep idle connections alive through proxies.
 *   hello(): the hello message (without ref)
 *   onFrame(frame): every frame after hello was answered (including "welcome")
 *   onState(state, detail): 'connecting' | 'open' | 'waiting' (detail = seconds) | 'stopped' (detail = error frame)
 */
export class Live {
  constructor({ hello, onFrame, onState }) {
    this.hello = hello;
    this.onFrame = onFrame;
    this.onState = onState || (() => {});
    this.ws = null;
    this.ready = false;
    this.stopped = true;
    this.attempt = 0;
    this.timer = null;
    this.pinger = null;
    this.refs = 0;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    this.ready = false;
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000, 'bye');
    }
  }

  nextRef() {
    this.refs += 1;
    return this.refs;
  }

  /** Sends a frame if the room is ready; returns false when it could not be sent now. */
  send(frame) {
    if (!this.ready || !this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  connect() {
    if (this.stopped) return;
    this.onState('connecting');
    const ws = new WebSocket(wsUrl());
    this.ws = ws;
    const helloRef = `hello-${this.nextRef()}`;
    ws.addEventListener('open', () => ws.send(JSON.stringify({ ...this.hello(), type: 'hello', ref: helloRef })));
    ws.addEventListener('message', (event) => {
      if (ws !== this.ws) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (!frame || typeof frame !== 'object') return;
      if (frame.type === 'welcome') {
        this.ready = true;
        this.attempt = 0;
        clearInterval(this.pinger);
        this.pinger = setInterval(() => this.send({ type: 'ping' }), 25000);
        this.onState('open');
      } else if (frame.type === 'error' && (frame.ref === helloRef || frame.code === 'token_expired') && FATAL.has(frame.code)) {
        this.stop();
        this.onState('stopped', frame);
      } else if (frame.type === 'error' && frame.ref === helloRef) {
        ws.close(1000, 'hello failed'); // e.g. "unavailable": try again after the back-off
      } else if (frame.type === 'pong') {
        return;
      }
      this.onFrame(frame);
    });
    ws.addEventListener('close', () => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.ready = false;
      clearInterval(this.pinger);
      if (this.stopped) return;
      const delay = Math.min(30, 2 ** this.attempt);
      this.attempt += 1;
      this.onState('waiting', delay);
      this.timer = setTimeout(() => this.connect(), delay * 1000);
    });
  }
}

/** "12:04" for an ISO time, in the reader's clock. */
export function shortTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Status line text for a Live state. */
export function connectionText(state, detail) {
  if (state === 'connecting') return 'Connecting…';
  if (state === 'open') return 'Connected';
  if (state === 'waiting') return `Connection lost. Trying again in ${detail} s…`;
  return 'Not connected';
}

// ---- staff and facilitator sign-in (shared by facilitator.html and staff.html) -------------------

const ACCOUNT = 'chorus.account'; // {token, expiresAt, account: {id, username, role}}

/** The signed-in account of this tab, or null (also when its token has expired). */
export function savedAccount() {
  const a = readJson(sessionStorage, ACCOUNT);
  if (!a || !a.token || (a.expiresAt && Date.parse(a.expiresAt) <= Date.now())) {
    sessionStorage.removeItem(ACCOUNT);
    return null;
  }
  return a;
}

export async function login(username, password) {
  const res = await api('POST', '/api/auth/login', { body: { username, password } });
  writeJson(sessionStorage, ACCOUNT, res);
  return res;
}

export function logout() {
  sessionStorage.removeItem(ACCOUNT);
}
