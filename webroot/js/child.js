// The child's page: join code → details and consent → live room.
import { api, el, $, say, readJson, writeJson, newClientId, Live, connectionText, shortTime } from './api.js';

const SESSION = 'chorus.child';   // {token, expiresAt, nickname, dialogue: {id, title}}
const OUTBOX = 'chorus.outbox';   // contributions not acknowledged yet: [{clientId, text, promptId, createdAt}]
const REACTED = 'chorus.reacted'; // contribution ids this child said "me too" to
const store = sessionStorage;
const FEED_MAX = 200;
const RESEND_MS = 10000;

const FRIENDLY = {
  network: 'We could not reach the server. Check your connection and try again.',
  unknown_code: "We don't know this code. Please check it with your organiser.",
  rate_limited: 'You are going very fast. Please wait a moment and try again.',
  dialogue_closed: 'This dialogue has ended. Thank you for taking part!',
  dialogue_not_open: 'This dialogue has not started yet. Please try again later.',
  dialogue_full: 'This dialogue is full. Please ask your organiser what to do.',
  consent_required: 'Please tick the box to say you understand, then press Join.',
  invalid_nickname: 'Please use 2 to 24 letters or numbers (at most 4 numbers) for your nickname, or leave it empty.',
  unavailable: 'We could not save that just now. We will try again.',
  empty_contribution: 'Please write something before sending.',
  too_long: 'That is a bit too long. Please make it shorter.',
  no_prompt: 'There is no question yet. Please wait a moment.',
  not_published: 'That message is no longer shown.',
};
const friendly = (code, message) => FRIENDLY[code] || message || 'Something went wrong. Please try again.';

const RANK = { sending: 0, failed: 0, pending: 1, published: 2, rejected: 3, removed: 3 };

const msg = $('#message');
const roomMsg = $('#room-message');
const textarea = $('#contribution-text');

let session = readJson(store, SESSION);
let joinCode = '';
let live = null;
let prompts = new Map();
let currentPrompt = null;
let open = true;
let maxChars = 1000;
let reactionKinds = ['me_too'];
const mine = new Map(); // clientId → the child's own contribution (or an unsent draft)
const feed = new Map(); // id → a published contribution by someone else
const sentAt = new Map(); // clientId → when it was last sent on this page
let reacted = new Set(readJson(store, REACTED) || []);
let resendTimer = null;

function show(step) {
  for (const id of ['step-code', 'step-join', 'step-room']) $(`#${id}`).hidden = id !== step;
}

// ---- step 1: the join code ----------------------------------------------------------------------

$('#code-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const code = $('#join-code').value.trim();
  if (!code) {
    say(msg, 'Please type your join code.');
    return;
  }
  const button = $('#join-lookup');
  button.disabled = true;
  try {
    const info = await api('GET', `/api/join/${encodeURIComponent(code)}`);
    joinCode = code;
    showJoinForm(info);
    say(msg, '');
  } catch (err) {
    say(msg, err.status === 429
      ? `Too many tries. Please wait ${Math.max(1, Math.ceil((err.retryAfterSeconds || 60) / 60))} minute(s) and try again.`
      : friendly(err.code, err.message));
  } finally {
    button.disabled = false;
  }
});

function showJoinForm(info) {
  const d = info.dialogue || {};
  $('#dialogue-title').textContent = d.title || '';
  $('#dialogue-description').textContent = d.description || '';
  const select = $('#age-band');
  select.replaceChildren(el('option', { value: '', text: 'Choose…', disabled: true, selected: true }));
  for (const band of info.ageBands || []) select.append(el('option', { value: band, text: band }));
  const [lang, region] = (navigator.language || '').split('-');
  if (!$('#language').value && /^[a-z]{2}$/i.test(lang || '')) $('#language').value = lang.toLowerCase();
  if (!$('#country').value && /^[a-z]{2}$/i.test(region || '')) $('#country').value = region.toUpperCase();
  show('step-join');
  $('#nickname').focus();
}

$('#join-back').addEventListener('click', () => {
  say(msg, '');
  show('step-code');
});

// ---- step 2: details and consent ----------------------------------------------------------------

$('#join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = {
    code: joinCode,
    ageBand: $('#age-band').value,
    country: $('#country').value.trim().toUpperCase(),
    language: $('#language').value.trim().toLowerCase(),
    consent: $('#consent').checked,
  };
  const nickname = $('#nickname').value.trim();
  if (nickname) body.nickname = nickname;
  if (!body.ageBand) return say(msg, 'Please choose how old you are.');
  if (!/^[A-Z]{2}$/.test(body.country)) return say(msg, 'Please type your country as 2 letters, for example KE.');
  if (!/^[a-z]{2}$/.test(body.language)) return say(msg, 'Please type your language as 2 letters, for example en.');
  if (!body.consent) return say(msg, FRIENDLY.consent_required);
  const button = $('#join-submit');
  button.disabled = true;
  try {
    const res = await api('POST', '/api/join', { body });
    session = {
      token: res.token,
      expiresAt: res.expiresAt,
      nickname: res.participant.nickname,
      dialogue: { id: res.dialogue.id, title: res.dialogue.title },
    };
    writeJson(store, SESSION, session);
    writeJson(store, OUTBOX, []);
    reacted = new Set();
    writeJson(store, REACTED, []);
    say(msg, '');
    enterRoom();
  } catch (err) {
    say(msg, friendly(err.code, err.message));
  } finally {
    button.disabled = false;
  }
});

// ---- step 3: the live room ----------------------------------------------------------------------

function enterRoom() {
  show('step-room');
  $('#room-title').textContent = session.dialogue.title;
  $('#my-nickname').textContent = session.nickname;
  // The last prompt seen, so that a reload without a connection can still write (it goes to the outbox).
  prompts = new Map((session.prompts || []).map((p) => [p.id, p]));
  setPrompt(session.prompt);
  for (const item of loadOutbox()) mine.set(item.clientId, { ...item, status: 'sending' });
  renderMine();
  renderFeed();
  updateSendState();
  live = new Live({ hello: () => ({ token: session.token }), onFrame, onState });
  live.start();
  resendTimer = setInterval(resendDue, RESEND_MS);
}

function endSession(text) {
  if (live) live.stop();
  live = null;
  clearInterval(resendTimer);
  session = null;
  for (const key of [SESSION, OUTBOX, REACTED]) store.removeItem(key);
  reacted = new Set();
  mine.clear();
  feed.clear();
  sentAt.clear();
  say(roomMsg, '');
  show('step-code');
  say(msg, text, 'info');
}

$('#leave').addEventListener('click', () => {
  const unsent = loadOutbox().length;
  const question = unsent
    ? `Do you want to stop now? ${unsent} message(s) are not sent yet and will be lost.`
    : 'Do you want to stop now? You can come back with your join code.';
  if (window.confirm(question)) endSession('You have left the dialogue. Thank you!');
});

function onState(state, detail) {
  $('#connection-status').textContent = connectionText(state, detail);
  if (state === 'stopped') {
    endSession(detail && detail.code === 'forbidden'
      ? friendly(detail.code, detail.message)
      : 'Your time in this dialogue has ended. To take part again, enter your join code.');
  }
}

function onFrame(f) {
  switch (f.type) {
    case 'welcome': return onWelcome(f);
    case 'ack': return onAck(f);
    case 'help': return onHelp(f);
    case 'muted':
      return say(roomMsg, f.until ? `A facilitator has paused your messages until ${new Date(f.until).toLocaleTimeString()}. You can still read.`
        : 'You can write again.', 'info');
    case 'removed': return say(roomMsg, f.message, 'info');
    case 'slow_mode':
      return say(roomMsg, f.seconds ? `The room is in slow mode: please wait ${f.seconds} seconds between messages.` : '', 'info');
    case 'contribution': return onContribution(f.contribution);
    case 'prompt': return setPrompt(f.prompt);
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
  if (w.you && w.you.nickname) $('#my-nickname').textContent = w.you.nickname;
  setPrompt(w.currentPrompt);
  setOpen(d.status === 'open' && !(d.closesAt && Date.parse(d.closesAt) <= Date.now()));
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
  say(roomMsg, '');
  renderMine();
  renderFeed();
}

function setPrompt(p) {
  currentPrompt = p || null;
  if (p) prompts.set(p.id, p);
  $('#prompt-text').textContent = p ? p.text : 'Please wait for the first question.';
  $('#prompt-position').textContent = p ? `Question ${p.position} of ${Math.max(prompts.size, p.position)}` : '';
  updateSendState();
  if (session) {
    session.prompt = currentPrompt;
    session.prompts = [...prompts.values()];
    writeJson(store, SESSION, session);
  }
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
  $('#char-count').textContent = `${used} / ${maxChars}`;
}
textarea.addEventListener('input', updateCount);

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
}

$('#contribute-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = textarea.value.trim();
  if (!text) return say(roomMsg, FRIENDLY.empty_contribution);
  if ([...text].length > maxChars) return say(roomMsg, FRIENDLY.too_long);
  if (!currentPrompt) return say(roomMsg, FRIENDLY.no_prompt);
  const item = { clientId: newClientId(), text, promptId: currentPrompt.id, createdAt: new Date().toISOString() };
  writeJson(store, OUTBOX, [...loadOutbox(), item]);
  mine.set(item.clientId, { ...item, status: 'sending' });
  textarea.value = '';
  updateCount();
  say(roomMsg, '');
  renderMine();
  sendItem(item);
  return undefined;
});

function mergeMine(c) {
  if (!c || !c.clientId) return;
  const old = mine.get(c.clientId);
  if (!old || old.id == null || RANK[c.status] >= RANK[old.status]) mine.set(c.clientId, { ...old, ...c });
  removeFromOutbox(c.clientId);
}

const LABELS = { phone: 'a phone number', email: 'an e-mail address', link: 'a link', handle: 'a username',
  school: 'the name of a school', name: 'a full name', address: 'an address' };

function onAck(f) {
  const old = mine.get(f.clientId) || {};
  const status = old.id == null || RANK[f.status] >= RANK[old.status] ? f.status : old.status;
  mine.set(f.clientId, { ...old, clientId: f.clientId, id: f.id, status, text: f.text || old.text });
  removeFromOutbox(f.clientId);
  const removed = (f.redacted || []).map((l) => LABELS[l] || 'personal details');
  if (removed.length) {
    say(roomMsg, `To keep you safe we took out ${removed.join(' and ')} before anyone saw your message.`, 'info');
  } else if (f.held) {
    say(roomMsg, 'Thank you! A facilitator will read your message before it is shared.', 'info');
  }
  renderMine();
}

function onHelp(f) {
  const box = $('#help');
  box.replaceChildren(
    el('p', { text: f.message || 'You are not alone.' }),
    el('ul', {}, ...(f.helplines || []).map((h) => el('li', {},
      el('strong', { text: h.name }),
      h.phone ? el('span', { text: ` ${h.phone}` }) : null,
      h.url ? el('span', {}, ' ', el('a', { href: h.url, target: '_blank', rel: 'noopener', text: h.url })) : null))));
  box.hidden = false;
  box.scrollIntoView({ behavior: 'smooth', block: 'center' });
}

function onContribution(c) {
  if (!c) return;
  if (c.mine) {
    mergeMine(c);
    renderMine();
    return;
  }
  if (c.status === 'published') {
    feed.set(c.id, { ...feed.get(c.id), ...c });
  } else {
    feed.delete(c.id);
  }
  renderFeed();
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
    if (f.code === 'unavailable' || f.code === 'rate_limited' || f.code === 'slow_mode') {
      say(roomMsg, friendly(f.code, f.message), 'info'); // stays in the outbox; resent soon
      return;
    }
    removeFromOutbox(ref);
    const entry = mine.get(ref);
    mine.set(ref, { ...entry, status: 'failed', reason: friendly(f.code, f.message) });
    if (entry && entry.text && !textarea.value && (f.code === 'too_long' || f.code === 'no_prompt')) {
      textarea.value = entry.text; // give the text back so it can be fixed
      updateCount();
    }
    if (f.code === 'dialogue_closed') setOpen(false);
    renderMine();
    return;
  }
  if (ref.startsWith('r-')) {
    reacted.delete(Number(ref.slice(2)));
    writeJson(store, REACTED, [...reacted]);
    renderFeed();
  }
  say(roomMsg, friendly(f.code, f.message), f.code === 'rate_limited' ? 'info' : 'error');
}

function statusText(c) {
  switch (c.status) {
    case 'sending': return 'Waiting to be sent…';
    case 'pending': return 'Waiting for a facilitator to read it';
    case 'published': {
      const n = (c.reactions && c.reactions.me_too) || 0;
      return n ? `Published · ${n} said “me too”` : 'Published';
    }
    case 'rejected': return 'Not published';
    case 'removed': return 'Not published (taken down)';
    case 'failed': return 'Not sent';
    default: return c.status || '';
  }
}

function promptLabel(promptId) {
  const p = prompts.get(promptId);
  return p ? `Question ${p.position}` : '';
}

function renderMine() {
  const list = [...mine.values()].sort((a, b) => {
    if ((a.id == null) !== (b.id == null)) return a.id == null ? -1 : 1;
    if (a.id != null) return b.id - a.id;
    return String(b.createdAt).localeCompare(String(a.createdAt));
  });
  $('#mine').replaceChildren(...list.map((c) => el('li', {
    class: `item status-${c.status}`,
    dataset: { clientId: c.clientId, status: c.status, ...(c.id != null ? { contributionId: c.id } : {}) },
  },
  el('p', { class: 'text', text: c.text || '' }),
  el('p', { class: 'meta' }, `${promptLabel(c.promptId)} `,
    el('span', { class: 'badge', 'data-testid': 'mine-status', text: statusText(c) })),
  c.reason && ['rejected', 'removed', 'failed'].includes(c.status)
    ? el('p', { class: 'reason', 'data-testid': 'mine-reason', text: c.status === 'failed' ? c.reason : `Facilitator: ${c.reason}` })
    : null)));
  if (!list.length) $('#mine').append(el('li', { class: 'empty', text: 'Nothing yet. Write your answer above!' }));
}

function renderFeed() {
  const list = [...feed.values()].sort((a, b) => b.id - a.id);
  for (const extra of list.slice(FEED_MAX)) feed.delete(extra.id);
  const canReact = reactionKinds.includes('me_too');
  $('#feed').replaceChildren(...list.slice(0, FEED_MAX).map((c) => {
    const count = (c.reactions && c.reactions.me_too) || 0;
    const done = reacted.has(c.id);
    return el('li', { class: 'item', dataset: { contributionId: c.id } },
      el('p', { class: 'meta' }, el('strong', { text: c.nickname || '' }),
        ` ${promptLabel(c.promptId)} · ${shortTime(c.createdAt)}`),
      el('p', { class: 'text', text: c.text || '' }),
      canReact ? el('button', {
        type: 'button',
        class: 'react',
        dataset: { action: 'me-too', contributionId: c.id },
        'aria-pressed': done ? 'true' : 'false',
        disabled: done,
        text: `Me too ${count}`,
      }) : null);
  }));
  if (!list.length) $('#feed').append(el('li', { class: 'empty', text: 'No messages yet.' }));
}

$('#feed').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action="me-too"]');
  if (!button || !live) return;
  const id = Number(button.dataset.contributionId);
  if (!live.send({ type: 'react', contributionId: id, kind: 'me_too', ref: `r-${id}` })) {
    say(roomMsg, 'You are not connected right now. Please try again in a moment.', 'info');
    return;
  }
  reacted.add(id);
  writeJson(store, REACTED, [...reacted]);
  renderFeed();
});

// ---- start --------------------------------------------------------------------------------------

if (session && session.token && !(session.expiresAt && Date.parse(session.expiresAt) <= Date.now())) {
  enterRoom();
} else {
  if (session) store.removeItem(SESSION);
  session = null;
  const code = new URLSearchParams(location.search).get('code');
  if (code) $('#join-code').value = code;
  show('step-code');
}
