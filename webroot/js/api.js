// Shared helpers for the Chorus pages: REST calls, safe DOM building, the live socket.
// Server data is only ever put into the page with textContent / createElement, never innerHTML.
import { t } from './i18n.js';

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
    throw new ApiError(0, 'network', 'the server could not be reached');
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
 * REST calls with a signed-in account's token: {@code account()} gives the current sign-in, and a 401
 * calls {@code onExpired} (back to the sign-in form) before the error is passed on.
 */
export function signedInApi(account, onExpired) {
  return async (method, path, body) => {
    const current = account();
    try {
      return await api(method, path, { body, token: current && current.token });
    } catch (err) {
      if (err.status === 401) onExpired();
      throw err;
    }
  };
}

/**
 * Creates an element. attrs: class, text, dataset (object), hidden, disabled, and any other attribute
 * (set with setAttribute). Children: nodes or strings (added as text).
 */
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
const PING_MS = 25000;
const PONG_WAIT_MS = 10000;

/**
 * The live room socket: sends hello first, reconnects after a close with back-off (about 1 s, 2 s,
 * 4 s … 30 s, with jitter so a room does not come back all at once), at once when the browser says it
 * is online again or retryNow() is called, and pings every 25 s; a socket that stays silent 10 s after
 * a ping is treated as lost (a network that vanished does not always close the socket).
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
    this.lastHeard = 0;
    this.refs = 0;
    this.online = () => this.retryNow();
  }

  start() {
    this.stopped = false;
    window.addEventListener('online', this.online);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.online);
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    this.ready = false;
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000, 'bye');
    }
  }

  /** While waiting to reconnect: try now instead of at the end of the back-off. */
  retryNow() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.timer);
    this.connect();
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

  ping() {
    if (!this.send({ type: 'ping' })) return;
    const sentAt = Date.now();
    const ws = this.ws;
    setTimeout(() => {
      if (ws === this.ws && this.lastHeard < sentAt) ws.close(4000, 'no pong');
    }, PONG_WAIT_MS);
  }

  connect() {
    if (this.stopped) return;
    this.onState('connecting');
    let ws;
    try {
      ws = new WebSocket(wsUrl());
    } catch (e) {
      this.retryLater();
      return;
    }
    this.ws = ws;
    const helloRef = `hello-${this.nextRef()}`;
    ws.addEventListener('open', () => ws.send(JSON.stringify({ ...this.hello(), type: 'hello', ref: helloRef })));
    ws.addEventListener('message', (event) => {
      if (ws !== this.ws) return;
      this.lastHeard = Date.now();
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
        this.pinger = setInterval(() => this.ping(), PING_MS);
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
      this.retryLater();
    });
  }

  retryLater() {
    if (this.stopped) return;
    const base = Math.min(30, 2 ** this.attempt);
    const delay = Math.max(1, Math.round(base * (0.75 + Math.random() * 0.25)));
    this.attempt += 1;
    this.onState('waiting', delay);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay * 1000);
  }
}

/** Status line text for a Live state. */
export function connectionText(state, detail) {
  if (state === 'connecting') return t('conn.connecting');
  if (state === 'open') return t('conn.open');
  if (state === 'waiting') return t('conn.waiting', { seconds: detail });
  return t('conn.stopped');
}

/**
 * Updates a list in place: items keep their <li> (and so keyboard focus) when they did not change;
 * a changed item is redrawn and, if it held the focus, the control with the same data-action in the
 * new version gets it back (else its first usable control); if the item went away or has nothing usable
 * (e.g. busy after "Approve"), the focus moves to the next item's first control, or to the list itself,
 * instead of being lost.
 *   render(item) → an element; its data-key must be set; its data-sig says whether it changed.
 */
export function syncList(list, items, render, empty) {
  const active = document.activeElement && list.contains(document.activeElement) ? document.activeElement : null;
  const activeLi = active ? active.closest('[data-key]') : null;
  const activeKey = activeLi ? activeLi.dataset.key : null;
  const activeAction = active ? active.dataset.action : null;
  const oldKeys = [...list.children].map((li) => li.dataset.key);
  const old = new Map([...list.children].filter((li) => li.dataset.key).map((li) => [li.dataset.key, li]));
  const next = items.map((item) => {
    const fresh = render(item);
    const kept = old.get(fresh.dataset.key);
    return kept && kept.dataset.sig === fresh.dataset.sig ? kept : fresh;
  });
  if (!next.length && empty) next.push(empty);
  // Only what changed moves: a node taken out and put back would lose the keyboard focus.
  const keep = new Set(next);
  for (const child of [...list.children]) if (!keep.has(child)) child.remove();
  next.forEach((node, i) => {
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
  });
  if (!active) return;
  if (list.contains(active)) {
    if (document.activeElement !== active) active.focus();
    return;
  }
  const usable = (root) => [...root.querySelectorAll('button, a[href], input, select, textarea')].find((n) => !n.disabled);
  const li = activeKey ? list.querySelector(`[data-key="${CSS.escape(activeKey)}"]`) : null;
  let target = null;
  if (li) {
    const again = activeAction ? li.querySelector(`[data-action="${CSS.escape(activeAction)}"]`) : null;
    target = (again && !again.disabled ? again : null) || usable(li);
  }
  for (const key of oldKeys.slice(oldKeys.indexOf(activeKey) + 1)) {
    if (target) break;
    const following = key ? list.querySelector(`[data-key="${CSS.escape(key)}"]`) : null;
    target = following ? usable(following) : null;
  }
  if (!target) {
    list.tabIndex = -1;
    target = list;
  }
  target.focus();
}

/**
 * Polite screen-reader announcements in one visually hidden status region. Bursts are gathered for a
 * moment and read as one sentence, so a busy room does not flood the reader.
 */
export function announcer(region, summarise) {
  let pending = [];
  let timer = null;
  return (text) => {
    if (!text) return;
    pending.push(text);
    if (timer) return;
    timer = setTimeout(() => {
      region.textContent = pending.length > 3 ? summarise(pending.length) : pending.join(' ');
      pending = [];
      timer = null;
    }, 400);
  };
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
