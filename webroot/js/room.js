// The child's live room: the current prompt, a box to write (with an outbox that keeps every message
// until the server acknowledged it, across lost connections and reloads), the child's own messages with
// their state, the others' published messages arriving live, and "me too".
import { api, el, $, say, readJson, writeJson, newClientId, Live, connectionText, syncList, announcer } from './api.js';
import { t, errorText, time, language, onLanguage } from './i18n.js';

const SESSION = 'chorus.child';   // {token, expiresAt, nickname, dialogue: {id, title}, prompt, prompts}
const OUTBOX = 'chorus.outbox';   // contributions not acknowledged yet: [{clientId, text, promptId, createdAt}]
const REACTED = 'chorus.reacted'; // contribution ids this child said "me too" to
const DRAFT = 'chorus.draft';     // what is typed in the box and not sent yet
const store = sessionStorage;
const FEED_MAX = 200;
const RESEND_MS = 10000;
const RANK = { sending: 0, failed: 0, pending: 1, published: 2, rejected: 3, removed: 3 };
/** Errors after which the message stays in the outbox and is sent again by itself. */
const KEEP_IN_OUTBOX = new Set(['unavailable', 'rate_limited', 'slow_mode']);
/** Reasons a facilitator picks from a list: each has kind words in every language. */
const REASON_CODES = new Set(['off_topic', 'personal_info', 'unkind', 'repeated', 'unsafe']);

const roomMsg = $('#room-message');
const textarea = $('#contribution-text');
const announce = announcer($('#announcer'), (n) => t('announce.many', { n }));

let session = null;
let live = null;
let onEnd = () => {};
let prompts = new Map();
let currentPrompt = null;
let open = true;
let maxChars = 1000;
let reactionKinds = ['me_too'];
let connection = ['connecting'];
const mine = new Map(); // clientId → the child's own contribution (or an unsent one)
const feed = new Map(); // id → a published contribution by someone else
const sentAt = new Map(); // clientId → when it was last sent on this page
let reacted = new Set();
let resendTimer = null;

/** Goes back into the room of this tab's session after a reload; false when there is none. */
export function resumeSession(end) {
  const saved = readJson(store, SESSION);
  if (saved && saved.token && !(saved.expiresAt && Date.parse(saved.expiresAt) <= Date.now())) {
    enterRoom(saved, { fresh: false, onEnd: end });
    return true;
  }
  store.removeItem(SESSION);
  return false;
}

export function enterRoom(s, options) {
  session = s;
  onEnd = options.onEnd;
  if (options.fresh) {
    writeJson(store, SESSION, session);
    writeJson(store, OUTBOX, []);
    writeJson(store, REACTED, []);
    store.removeItem(DRAFT);
  }
  reacted = new Set(readJson(store, REACTED) || []);
  $('#room-title').textContent = session.dialogue.title;
  $('#my-nickname').textContent = session.nickname;
  // The last prompt seen, so that a reload without a connection can still write (it goes to the outbox).
  prompts = new Map((session.prompts || []).map((p) => [p.id, p]));
  setPrompt(session.prompt, false);
  for (const item of loadOutbox()) mine.set(item.clientId, { ...item, status: 'sending' });
  textarea.value = store.getItem(DRAFT) || '';
  renderAll();
  live = new Live({ hello: () => ({ token: session.token }), onFrame, onState });
  live.start();
  resendTimer = setInterval(resendDue, RESEND_MS);
}

function endSession(text) {
  if (live) live.stop();
  live = null;
  clearInterval(resendTimer);
  session = null;
  for (const key of [SESSION, OUTBOX, REACTED, DRAFT]) store.removeItem(key);
  reacted = new Set();
  mine.clear();
  feed.clear();
  sentAt.clear();
  textarea.value = '';
  say(roomMsg, '');
  $('#help').hidden = true;
  $('#confirm-leave').hidden = true;
  $('#confirm-withdraw').hidden = true;
  onEnd(text);
}

// ---- stopping ------------------------------------------------------------------------------------

/** An inline confirmation: {@code opener} shows {@code box} with the focus on {@code cancel}; cancel or Escape hide it again. */
function confirmation(opener, box, cancel, beforeShow = () => {}) {
  opener.addEventListener('click', () => {
    beforeShow();
    box.hidden = false;
    cancel.focus();
  });
  cancel.addEventListener('click', () => {
    box.hidden = true;
    opener.focus();
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') cancel.click();
  });
}

confirmation($('#leave'), $('#confirm-leave'), $('#leave-cancel'), () => {
  const unsent = loadOutbox().length;
  $('#confirm-leave-text').textContent = unsent ? t('room.leaveUnsent', { n: unsent }) : t('room.leaveQuestion');
});

$('#leave-confirm').addEventListener('click', () => endSession(t('room.left')));

// ---- "remove what I wrote": erasure with the child's own token ----------------------------------------

confirmation($('#withdraw'), $('#confirm-withdraw'), $('#withdraw-cancel'));

$('#withdraw-confirm').addEventListener('click', async () => {
  const button = $('#withdraw-confirm');
  button.disabled = true;
  // Off the room first: the server closes this child's sockets once it is erased, which is not a removal.
  if (live) live.stop();
  try {
    await api('DELETE', '/api/participants/me', { token: session.token });
    $('#confirm-withdraw').hidden = true;
    endSession(t('room.withdrawn'));
  } catch (err) {
    if (err.code === 'participant_not_found' || err.status === 401) {
      $('#confirm-withdraw').hidden = true;
      endSession(t('room.withdrawn'));
    } else {
      say(roomMsg, t('room.withdrawFailed'));
      if (live) live.start();
    }
  } finally {
    button.disabled = false;
  }
});

// ---- the connection ------------------------------------------------------------------------------

function onState(state, detail) {
  connection = [state, detail];
  renderConnection();
  renderMine();
  if (state === 'stopped') {
    const code = detail && detail.code;
    endSession(code === 'removed' ? t('room.removed') : (code === 'forbidden' ? errorText(code, detail.message) : t('room.ended')));
  }
}

function renderConnection() {
  const [state, detail] = connection;
  $('#connection-status').textContent = connectionText(state, detail);
  $('#connection-dot').dataset.state = state;
  $('#retry-now').hidden = state !== 'waiting';
  const waiting = loadOutbox().length;
  const note = $('#outbox-note');
  note.hidden = !waiting || state === 'open';
  note.textContent = waiting ? t('room.outboxWaiting', { n: waiting }) : '';
}

$('#retry-now').addEventListener('click', () => {
  if (live) live.retryNow();
});

function onFrame(f) {
  switch (f.type) {
    case 'welcome': return onWelcome(f);
    case 'ack': return onAck(f);
    case 'help': return onHelp(f);
    case 'muted':
      return say(roomMsg, f.until ? t('room.muted', { time: time(f.until) }) : t('room.unmuted'), 'info');
    case 'removed': return say(roomMsg, t('room.removed'), 'info');
    case 'slow_mode': return say(roomMsg, f.seconds ? t('room.slowMode', { seconds: f.seconds }) : '', 'info');
    case 'contribution': return onContribution(f.contribution);
    case 'prompt': return setPrompt(f.prompt, true);
    case 'dialogue': return onDialogue(f.dialogue);
    case 'status': return setOpen(f.status === 'open');
    case 'reactions': return onReactions(f);
    case 'error': return onError(f);
    default: return undefined;
  }
}

function onWelcome(w) {
  const limits = w.limits || {};
  maxChars = limits.maxContributionChars || maxChars;
  textarea.maxLength = maxChars;
  reactionKinds = limits.reactionKinds || reactionKinds;
  const d = w.dialogue || {};
  prompts = new Map((d.prompts || []).map((p) => [p.id, p]));
  if (w.you && w.you.nickname) {
    session.nickname = w.you.nickname;
    $('#my-nickname').textContent = w.you.nickname;
  }
  if (d.title) $('#room-title').textContent = d.title;
  const changed = !currentPrompt || !w.currentPrompt || currentPrompt.id !== w.currentPrompt.id;
  setPrompt(w.currentPrompt, changed && Boolean(currentPrompt));
  setOpen(d.status === 'open' && !(d.closesAt && Date.parse(d.closesAt) <= Date.now()));
  if (d.slowModeSeconds) say(roomMsg, t('room.slowMode', { seconds: d.slowModeSeconds }), 'info');
  feed.clear();
  for (const c of w.contributions || []) {
    if (c.mine) mergeMine(c);
    else if (c.status === 'published') feed.set(c.id, c);
  }
  for (const c of w.mine || []) mergeMine(c);
  // The server knows what this child already reacted to (also after a new tab or device).
  for (const [id, kinds] of Object.entries(w.myReactions || {})) {
    if (kinds.includes('me_too')) reacted.add(Number(id));
  }
  writeJson(store, REACTED, [...reacted]);
  sentAt.clear();
  resendDue();
  renderAll();
}

/** Staff edited the dialogue: new title or later prompts (those already asked never change). */
function onDialogue(d) {
  if (!d) return;
  if (d.title) {
    $('#room-title').textContent = d.title;
    session.dialogue.title = d.title;
  }
  if (Array.isArray(d.prompts)) prompts = new Map(d.prompts.map((p) => [p.id, p]));
  const current = d.currentPromptId != null ? prompts.get(d.currentPromptId) : currentPrompt;
  setPrompt(current || currentPrompt, false);
  renderAll();
}

// ---- the prompt ------------------------------------------------------------------------------------

function setPrompt(p, tell) {
  const isNew = p && (!currentPrompt || currentPrompt.id !== p.id);
  currentPrompt = p || null;
  if (p) prompts.set(p.id, p);
  renderPrompt();
  updateSendState();
  if (tell && isNew) announce(t('announce.prompt', { text: p.text }));
  if (session) {
    session.prompt = currentPrompt;
    session.prompts = [...prompts.values()];
    writeJson(store, SESSION, session);
  }
}

function renderPrompt() {
  const p = currentPrompt;
  $('#prompt-text').textContent = p ? p.text : t('room.noPrompt');
  $('#prompt-position').textContent = p ? t('room.question', { position: p.position, total: Math.max(prompts.size, p.position) }) : '';
}

function setOpen(isOpen) {
  open = isOpen;
  $('#room-closed').hidden = isOpen;
  updateSendState();
}

function updateSendState() {
  textarea.disabled = !open;
  $('#send').disabled = !open || !currentPrompt;
  updateCount();
}

function updateCount() {
  const used = [...textarea.value].length;
  $('#char-count').textContent = t('room.count', { used, max: maxChars });
}

textarea.addEventListener('input', () => {
  updateCount();
  store.setItem(DRAFT, textarea.value);
});

// ---- my contributions and the outbox ------------------------------------------------------------

function loadOutbox() {
  const list = readJson(store, OUTBOX);
  return Array.isArray(list) ? list : [];
}

function removeFromOutbox(clientId) {
  const list = loadOutbox();
  const left = list.filter((item) => item.clientId !== clientId);
  if (left.length !== list.length) writeJson(store, OUTBOX, left);
  sentAt.delete(clientId);
}

function sendItem(item) {
  if (!live) return;
  const frame = { type: 'contribute', clientId: item.clientId, text: item.text, ref: item.clientId };
  if (item.promptId != null) frame.promptId = item.promptId;
  if (live.send(frame)) sentAt.set(item.clientId, Date.now());
}

/** Sends every unacknowledged contribution not sent in the last few seconds (same clientId: no duplicates). */
function resendDue() {
  const now = Date.now();
  for (const item of loadOutbox()) {
    const entry = mine.get(item.clientId);
    if (entry && entry.id != null) {
      removeFromOutbox(item.clientId); // the server already has it
    } else if (!sentAt.has(item.clientId) || now - sentAt.get(item.clientId) >= RESEND_MS) {
      sendItem(item);
    }
  }
  renderConnection();
}

$('#contribute-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = textarea.value.trim();
  if (!text) return say(roomMsg, t('error.empty_contribution'));
  if ([...text].length > maxChars) return say(roomMsg, t('error.too_long'));
  if (!currentPrompt) return say(roomMsg, t('error.no_prompt'));
  const item = { clientId: newClientId(), text, promptId: currentPrompt.id, createdAt: new Date().toISOString() };
  // Written down before anything else: a lost connection or a reload cannot lose it now.
  writeJson(store, OUTBOX, [...loadOutbox(), item]);
  mine.set(item.clientId, { ...item, status: 'sending' });
  textarea.value = '';
  store.removeItem(DRAFT);
  updateCount();
  say(roomMsg, '');
  sendItem(item);
  renderMine();
  renderConnection();
  if (connection[0] !== 'open') announce(t('status.sendingOffline'));
  return undefined;
});

function mergeMine(c) {
  if (!c || !c.clientId) return null;
  const old = mine.get(c.clientId);
  if (!old || old.id == null || RANK[c.status] >= RANK[old.status]) mine.set(c.clientId, { ...old, ...c });
  removeFromOutbox(c.clientId);
  return old ? old.status : null;
}

function onAck(f) {
  const old = mine.get(f.clientId) || {};
  const status = old.id == null || RANK[f.status] >= RANK[old.status] ? f.status : old.status;
  mine.set(f.clientId, { ...old, clientId: f.clientId, id: f.id, status, text: f.text || old.text });
  removeFromOutbox(f.clientId);
  const removed = [...new Set((f.redacted || []).map((l) => (['phone', 'email', 'link', 'handle', 'school', 'name', 'address'].includes(l)
    ? t(`redacted.${l}`) : t('redacted.other'))))];
  if (removed.length) {
    say(roomMsg, t('ack.redacted', { what: new Intl.ListFormat(language(), { type: 'conjunction' }).format(removed) }), 'info');
  } else if (status === 'pending' && !f.duplicate) {
    say(roomMsg, t('ack.held'), 'info');
  }
  if (!f.duplicate) announce(t(status === 'published' ? 'announce.minePublished' : 'announce.sent'));
  renderMine();
  renderConnection();
}

function onHelp(f) {
  const box = $('#help');
  box.replaceChildren(
    el('h2', { text: t('help.title') }),
    el('p', { text: t('help.message') }),
    el('ul', {}, ...(f.helplines || []).map((h) => el('li', {},
      el('strong', { dir: 'auto', text: h.name }),
      h.phone ? el('span', {}, ' ', el('a', { href: `tel:${String(h.phone).replace(/[^0-9+]/g, '')}`, dir: 'ltr', text: h.phone })) : null,
      h.url ? el('span', {}, ' ', el('a', { href: h.url, target: '_blank', rel: 'noopener', dir: 'ltr', text: h.url })) : null))),
    el('p', { text: t('help.adult') }));
  box.hidden = false;
  box.scrollIntoView({ block: 'center' });
}

function onContribution(c) {
  if (!c) return;
  if (c.erased) {
    // A tombstone (docs/protocol.md): the words were erased, so they leave this screen entirely.
    for (const [clientId, entry] of mine) if (entry.id === c.id) mine.delete(clientId);
    feed.delete(c.id);
    renderMine();
    renderFeed();
    return;
  }
  if (c.mine) {
    const before = mergeMine(c);
    if (before && before !== c.status && ['published', 'rejected', 'removed'].includes(c.status)) {
      announce(t(`announce.mine.${c.status}`));
    }
    renderMine();
    renderConnection();
    return;
  }
  if (c.status === 'published') {
    if (!feed.has(c.id)) announce(t('announce.new', { nickname: c.nickname || '', text: shorten(c.text || '') }));
    feed.set(c.id, { ...feed.get(c.id), ...c });
  } else {
    feed.delete(c.id);
  }
  renderFeed();
}

function shorten(text) {
  const chars = [...text];
  return chars.length > 140 ? `${chars.slice(0, 140).join('')}…` : text;
}

function onReactions(f) {
  const c = feed.get(f.contributionId);
  if (c) {
    c.reactions = f.reactions || {};
    renderFeed();
    return;
  }
  for (const entry of mine.values()) {
    if (entry.id === f.contributionId) {
      entry.reactions = f.reactions || {};
      renderMine();
    }
  }
}

function onError(f) {
  const ref = typeof f.ref === 'string' ? f.ref : '';
  if (ref.startsWith('c-') && mine.has(ref)) {
    if (KEEP_IN_OUTBOX.has(f.code)) {
      // The server could not store it (its database is away): shown on the message until it is saved.
      if (f.code === 'unavailable') mine.set(ref, { ...mine.get(ref), status: 'notSaved' });
      say(roomMsg, errorText(f.code, f.message), 'info'); // stays in the outbox; resent soon
      renderMine();
      return;
    }
    removeFromOutbox(ref);
    const entry = mine.get(ref);
    mine.set(ref, { ...entry, status: 'failed', errorCode: f.code, errorMessage: f.message });
    if (entry && entry.text && !textarea.value && (f.code === 'too_long' || f.code === 'no_prompt')) {
      textarea.value = entry.text; // give the text back so it can be fixed
      updateCount();
    }
    if (f.code === 'dialogue_closed') setOpen(false);
    renderMine();
    renderConnection();
    return;
  }
  if (ref.startsWith('r-')) {
    reacted.delete(Number(ref.slice(2)));
    writeJson(store, REACTED, [...reacted]);
    renderFeed();
  }
  say(roomMsg, errorText(f.code, f.message), f.code === 'rate_limited' ? 'info' : 'error');
}

// ---- drawing ---------------------------------------------------------------------------------------

function statusText(c) {
  switch (c.status) {
    case 'sending': return connection[0] === 'open' ? t('status.sending') : t('status.sendingOffline');
    case 'published': {
      const n = (c.reactions && c.reactions.me_too) || 0;
      return n ? t('status.publishedMeToo', { n }) : t('status.published');
    }
    case 'pending': case 'rejected': case 'removed': case 'failed': return t(`status.${c.status}`);
    case 'notSaved': return t('status.notSaved');
    default: return c.status || '';
  }
}

/** Why a message was not published, in kind words (a reason picked from the list is translated). */
function reasonText(c) {
  if (c.status === 'failed') return errorText(c.errorCode, c.errorMessage);
  if (c.status !== 'rejected' && c.status !== 'removed') return '';
  const reason = (c.reason || '').trim();
  if (REASON_CODES.has(reason)) return t(`reason.${reason}`);
  if (reason) return t('reason.said', { reason });
  return t(`reason.none.${c.status}`);
}

function promptLabel(promptId) {
  const p = prompts.get(promptId);
  return p ? t('room.questionShort', { position: p.position }) : '';
}

function renderMineItem(c) {
  const status = statusText(c);
  const reason = reasonText(c);
  const li = el('li', {
    class: `item status-${c.status}`,
    dataset: { key: c.clientId, clientId: c.clientId, status: c.status, ...(c.id != null ? { contributionId: c.id } : {}) },
  },
  el('p', { class: 'text', dir: 'auto', text: c.text || '' }),
  el('p', { class: 'meta' }, promptLabel(c.promptId), ' ',
    el('span', { class: 'badge', 'data-testid': 'mine-status', text: status })),
  reason ? el('p', { class: 'reason', 'data-testid': 'mine-reason', dir: 'auto', text: reason }) : null);
  li.dataset.sig = JSON.stringify([language(), c.text, status, reason, c.promptId]);
  return li;
}

function renderMine() {
  const list = [...mine.values()].sort((a, b) => {
    if ((a.id == null) !== (b.id == null)) return a.id == null ? -1 : 1;
    if (a.id != null) return b.id - a.id;
    return String(b.createdAt).localeCompare(String(a.createdAt));
  });
  syncList($('#mine'), list, renderMineItem, el('li', { class: 'empty', text: t('room.mineEmpty') }));
}

function renderFeedItem(c) {
  const count = (c.reactions && c.reactions.me_too) || 0;
  const done = reacted.has(c.id);
  const canReact = reactionKinds.includes('me_too');
  const li = el('li', { class: 'item', dataset: { key: String(c.id), contributionId: c.id } },
    el('p', { class: 'meta' }, el('strong', {}, el('bdi', { text: c.nickname || '' })),
      ` · ${[promptLabel(c.promptId), time(c.createdAt)].filter(Boolean).join(' · ')}`),
    el('p', { class: 'text', dir: 'auto', text: c.text || '' }),
    canReact ? el('button', {
      type: 'button',
      class: 'react',
      dataset: { action: 'me-too', contributionId: c.id },
      'aria-pressed': done ? 'true' : 'false',
      text: t('feed.meToo', { n: count }),
    }) : null);
  li.dataset.sig = JSON.stringify([language(), c.nickname, c.text, count, done, canReact, c.promptId, c.createdAt]);
  return li;
}

function renderFeed() {
  const list = [...feed.values()].sort((a, b) => b.id - a.id);
  for (const extra of list.slice(FEED_MAX)) feed.delete(extra.id);
  syncList($('#feed'), list.slice(0, FEED_MAX), renderFeedItem, el('li', { class: 'empty', text: t('room.feedEmpty') }));
}

function renderAll() {
  renderPrompt();
  updateSendState();
  renderConnection();
  renderMine();
  renderFeed();
}

$('#feed').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action="me-too"]');
  if (!button || !live) return;
  const id = Number(button.dataset.contributionId);
  if (reacted.has(id)) return; // counted once per child: nothing to do
  if (!live.send({ type: 'react', contributionId: id, kind: 'me_too', ref: `r-${id}` })) {
    say(roomMsg, t('room.notConnected'), 'info');
    return;
  }
  reacted.add(id);
  writeJson(store, REACTED, [...reacted]);
  renderFeed();
});

onLanguage(() => {
  if (session) renderAll();
});
