// The facilitator's page: sign in, pick a dialogue, moderate it live.
import { signedInApi, el, $, say, Live, connectionText, shortTime, savedAccount, login, logout } from './api.js';

const msg = $('#message');
let account = savedAccount();
let live = null;
let dialogue = null;
let prompts = new Map();
let currentPrompt = null;
const queue = new Map(); // id → pending contribution
const feed = new Map();  // id → published contribution
const busy = new Set();  // contribution ids with an action under way
const FEED_MAX = 200;

function show(section) {
  for (const id of ['login', 'dialogues-section', 'room']) $(`#${id}`).hidden = id !== section;
  $('#logout').hidden = section === 'login';
}

function signedOut(text) {
  leaveRoom();
  logout();
  account = null;
  show('login');
  say(msg, text, 'info');
}

const call = signedInApi(() => account, (text) => signedOut(text));

// ---- sign in ------------------------------------------------------------------------------------

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = $('#login-submit');
  button.disabled = true;
  try {
    const res = await login($('#username').value.trim(), $('#password').value);
    account = res;
    $('#password').value = '';
    say(msg, '');
    await showDialogues();
  } catch (err) {
    say(msg, err.status === 429 ? `${err.message} (wait ${err.retryAfterSeconds || '?'} s)` : err.message);
  } finally {
    button.disabled = false;
  }
});

$('#logout').addEventListener('click', () => signedOut('You are signed out.'));

// ---- dialogues ----------------------------------------------------------------------------------

async function showDialogues() {
  leaveRoom();
  show('dialogues-section');
  let list;
  try {
    list = (await call('GET', '/api/dialogues')).dialogues || [];
  } catch (err) {
    if (err.status !== 401) say(msg, err.message);
    return;
  }
  $('#dialogues').replaceChildren(...list.map((d) => el('li', { class: 'item', dataset: { dialogueId: d.id } },
    el('p', {}, el('strong', { text: d.title })),
    el('p', { class: 'meta' }, `${d.status} · ${d.moderationMode} · code `,
      el('strong', { class: 'nowrap', text: d.joinCode || '–' })),
    el('button', { type: 'button', dataset: { action: 'moderate', dialogueId: d.id }, text: 'Moderate' }))));
  if (!list.length) $('#dialogues').append(el('li', { class: 'empty', text: 'No dialogue is assigned to you yet.' }));
  const wanted = new URLSearchParams(location.search).get('dialogue');
  const found = list.find((d) => d.id === wanted);
  if (found) enterRoom(found);
}

$('#refresh-dialogues').addEventListener('click', () => showDialogues());

$('#dialogues').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action="moderate"]');
  if (!button) return;
  enterRoom({ id: button.dataset.dialogueId, title: button.closest('li').querySelector('strong').textContent });
});

$('#back').addEventListener('click', () => {
  history.replaceState(null, '', location.pathname);
  showDialogues();
});

// ---- the live room ------------------------------------------------------------------------------

function enterRoom(d) {
  leaveRoom();
  dialogue = d;
  history.replaceState(null, '', `${location.pathname}?dialogue=${encodeURIComponent(d.id)}`);
  show('room');
  $('#room-title').textContent = d.title || '';
  render();
  live = new Live({ hello: () => ({ token: account.token, dialogueId: d.id }), onFrame, onState });
  live.start();
}

function leaveRoom() {
  if (live) live.stop();
  live = null;
  dialogue = null;
  queue.clear();
  feed.clear();
  busy.clear();
}

function onState(state, detail) {
  $('#connection-status').textContent = connectionText(state, detail);
  if (state !== 'stopped') return;
  if (detail && (detail.code === 'unauthorized' || detail.code === 'token_expired')) {
    signedOut('Your sign-in has expired. Please sign in again.');
  } else {
    history.replaceState(null, '', location.pathname);
    showDialogues().then(() => say(msg, detail ? detail.message : 'Disconnected.'));
  }
}

function onFrame(f) {
  switch (f.type) {
    case 'welcome': return onWelcome(f);
    case 'contribution': return onContribution(f.contribution);
    case 'reactions': {
      const c = feed.get(f.contributionId);
      if (c) c.reactions = f.reactions || {};
      return renderFeed();
    }
    case 'prompt': return setPrompt(f.prompt);
    case 'status': return setStatus(f.status);
    case 'alert': return onAlert(f.contribution);
    case 'alert_acknowledged': return onAlertDone(f.contributionId, `acknowledged by ${f.by}`);
    case 'alert_escalated': return onAlertEscalated(f.contributionId);
    case 'slow_mode': return say(msg, f.seconds ? `Slow mode: ${f.seconds} s between messages.` : 'Slow mode is off.', 'info');
    case 'participant':
      return say(msg, f.removed ? 'The child was removed from the dialogue.'
        : f.mutedUntil ? `The child is paused until ${new Date(f.mutedUntil).toLocaleTimeString()}.` : 'The pause was lifted.', 'info');
    case 'done':
      busy.delete(f.contributionId);
      if (f.action === 'ack_alert') return onAlertDone(f.contributionId, 'acknowledged');
      return render();
    case 'error': return onError(f);
    default: return undefined;
  }
}

function onWelcome(w) {
  const d = w.dialogue || {};
  dialogue = { ...dialogue, ...d };
  $('#room-title').textContent = d.title || '';
  $('#room-mode').textContent = d.moderationMode || '';
  $('#room-join-code').textContent = d.joinCode || '–';
  setStatus(d.status);
  prompts = new Map((d.prompts || []).map((p) => [p.id, p]));
  queue.clear();
  feed.clear();
  busy.clear();
  for (const c of w.queue || []) queue.set(c.id, c);
  for (const c of w.contributions || []) feed.set(c.id, c);
  setPrompt(w.currentPrompt);
  say(msg, '');
  render();
}

function setStatus(status) {
  $('#room-status').textContent = status || '';
}

function setPrompt(p) {
  currentPrompt = p || null;
  const total = prompts.size;
  $('#prompt-text').textContent = p ? p.text : 'No prompt yet.';
  $('#prompt-position').textContent = p ? `Prompt ${p.position} of ${total}` : '';
  $('#next-prompt').disabled = Boolean(p) && p.position >= total;
}

function onContribution(c) {
  if (!c) return;
  busy.delete(c.id);
  if (c.status === 'pending') queue.set(c.id, { ...queue.get(c.id), ...c });
  else queue.delete(c.id);
  if (c.status === 'published') feed.set(c.id, { ...feed.get(c.id), ...c });
  else feed.delete(c.id);
  render();
}

// ---- safeguarding alerts: seen and heard at once ------------------------------------------------

function beep() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
  } catch (e) { /* no sound available: the banner still shows */ }
}

function onAlert(c) {
  if (!c) return;
  queue.set(c.id, { ...queue.get(c.id), ...c });
  const first = ((c.moderation && c.moderation.findings) || [])[0] || {};
  const banner = $('#alert');
  banner.replaceChildren(
    el('strong', { text: 'Safeguarding alert' }),
    el('span', { text: ` — ${c.nickname || 'a child'} (#${c.id}): ${first.reason || first.category || 'needs attention now'}` }));
  banner.dataset.contributionId = String(c.id);
  banner.hidden = false;
  document.title = '⚠ Alert — Chorus';
  beep();
  render();
}

function onAlertDone(id, text) {
  const c = queue.get(id);
  if (c) c.alertAcknowledged = true;
  const banner = $('#alert');
  if (!banner.hidden && banner.dataset.contributionId === String(id)) {
    banner.hidden = true;
    document.title = 'Chorus — facilitator';
  }
  say(msg, `Alert on #${id} ${text}.`, 'info');
  render();
}

function onAlertEscalated(id) {
  const banner = $('#alert');
  banner.dataset.contributionId = String(id);
  banner.replaceChildren(el('strong', { text: 'Alert escalated to staff' }),
    el('span', { text: ` — #${id} has not been acknowledged yet. Please act on it now.` }));
  banner.hidden = false;
  beep();
}

$('#alert').addEventListener('click', () => {
  $('#alert').hidden = true;
  document.title = 'Chorus — facilitator';
});

function onError(f) {
  const ref = typeof f.ref === 'string' ? f.ref : '';
  const id = Number(ref.split('-')[1]);
  if (id) busy.delete(id);
  say(msg, f.message || f.code);
  render();
}

$('#slow-mode').addEventListener('click', () => {
  const seconds = window.prompt('Slow mode: seconds each child waits between messages (0 turns it off)', '30');
  if (seconds === null) return;
  if (!live || !live.send({ type: 'slow_mode', seconds: Number(seconds) || 0, ref: 'slow' })) say(msg, 'Not connected; try again in a moment.');
});

$('#next-prompt').addEventListener('click', () => {
  if (!live || !live.send({ type: 'next_prompt', ref: 'next' })) say(msg, 'Not connected; try again in a moment.');
});

function actOnChild(action, participantId, nickname) {
  const frame = { type: action, participantId, ref: `${action}-0` };
  if (action === 'mute') {
    const minutes = window.prompt(`Pause ${nickname}'s messages for how many minutes? (0 lifts a pause)`, '10');
    if (minutes === null) return;
    frame.minutes = Number(minutes) || 0;
  } else if (!window.confirm(`Remove ${nickname} from this dialogue? They will be disconnected and cannot come back with this session.`)) {
    return;
  }
  if (!live || !live.send(frame)) say(msg, 'Not connected; try again in a moment.');
}

function act(action, id) {
  if (action === 'mute' || action === 'remove_participant') {
    const c = queue.get(id) || feed.get(id) || {};
    actOnChild(action, c.participantId, c.nickname || 'this child');
    return;
  }
  let text;
  if (action === 'approve_edit') {
    const c = queue.get(id) || {};
    text = window.prompt('Edit the text before publishing (the edit is recorded):', c.text || '');
    if (text === null) return;
  }
  let reason;
  if (action === 'reject' || action === 'remove') {
    reason = window.prompt(`Reason for ${action === 'reject' ? 'not publishing' : 'removing'} (optional; the author sees it):`, '');
    if (reason === null) return; // cancelled
  }
  const frame = { type: action === 'approve_edit' ? 'approve' : action, contributionId: id, ref: `${action}-${id}` };
  if (reason && reason.trim()) frame.reason = reason.trim();
  if (text !== undefined) frame.text = text;
  if (!live || !live.send(frame)) {
    say(msg, 'Not connected; try again in a moment.');
    return;
  }
  busy.add(id);
  render();
}

for (const list of ['#queue', '#feed']) {
  $(list).addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (button) act(button.dataset.action, Number(button.dataset.contributionId));
  });
}

function promptLabel(promptId) {
  const p = prompts.get(promptId);
  return p ? `P${p.position}` : '';
}

/** The text with the spans that rules flagged wrapped in <mark> (built as nodes, never as HTML). */
function highlighted(text, findings) {
  const spans = (findings || []).filter((f) => f.end > f.start).sort((a, b) => a.start - b.start);
  const parts = [];
  let at = 0;
  for (const f of spans) {
    if (f.start < at) continue;
    parts.push(text.slice(at, f.start));
    parts.push(el('mark', { title: `${f.category}: ${f.reason} (${f.ruleId})`, text: text.slice(f.start, f.end) }));
    at = f.end;
  }
  parts.push(text.slice(at));
  return parts;
}

function item(c, buttons) {
  const meta = [c.nickname, c.ageBand, c.country, c.language, promptLabel(c.promptId), shortTime(c.createdAt)]
    .filter(Boolean).join(' · ');
  const reactions = Object.entries(c.reactions || {}).map(([k, n]) => `${k} ${n}`).join(', ');
  const moderation = c.moderation || {};
  const findings = moderation.findings || [];
  const flags = [...new Set(findings.map((f) => `${f.category}: ${f.reason}`))].join(' · ');
  return el('li', { class: `item${moderation.action === 'alert' ? ' alerting' : ''}`,
    dataset: { contributionId: c.id, status: c.status, moderation: moderation.action || 'allow' } },
    el('p', { class: 'meta', text: `#${c.id} · ${meta}` }),
    flags ? el('p', { class: 'flags', 'data-testid': 'flags', text: `${moderation.action}: ${flags}` }) : null,
    el('p', { class: 'text' }, ...highlighted(c.text || '', findings)),
    reactions ? el('p', { class: 'meta', text: reactions }) : null,
    el('div', { class: 'row' }, ...buttons.map(([action, label, cls]) => el('button', {
      type: 'button', class: cls, dataset: { action, contributionId: c.id }, disabled: busy.has(c.id), text: label,
    }))));
}

function renderQueue() {
  const list = [...queue.values()].sort((a, b) => a.id - b.id);
  $('#queue-count').textContent = String(list.length);
  $('#queue').replaceChildren(...list.map((c) => item(c, [
    ...(c.moderation && c.moderation.action === 'alert' && !c.alertAcknowledged ? [['ack_alert', 'Acknowledge alert', 'danger']] : []),
    ['approve', 'Approve', ''], ['approve_edit', 'Edit & approve', 'secondary'], ['reject', 'Reject', 'danger'],
    ['mute', 'Pause child', 'secondary'], ['remove_participant', 'Remove child', 'danger']])));
  if (!list.length) $('#queue').append(el('li', { class: 'empty', text: 'Nothing is waiting.' }));
}

function renderFeed() {
  const list = [...feed.values()].sort((a, b) => b.id - a.id);
  for (const extra of list.slice(FEED_MAX)) feed.delete(extra.id);
  $('#feed').replaceChildren(...list.slice(0, FEED_MAX).map((c) => item(c, [['remove', 'Remove', 'danger']])));
  if (!list.length) $('#feed').append(el('li', { class: 'empty', text: 'Nothing published yet.' }));
}

function render() {
  renderQueue();
  renderFeed();
}

// ---- start --------------------------------------------------------------------------------------

if (account) showDialogues();
else show('login');
