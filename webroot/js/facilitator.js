// The facilitator's page: sign in, pick a dialogue, moderate it live. The room's pieces:
// safeguarding alerts (a separate panel that cannot be missed), the queue (oldest first, filterable by
// language), the published stream, the children in the room; decisions are inline forms (js/moderation-forms.js).
import { el, $, say, Live, connectionText, syncList, announcer } from './api.js';
import { t, errorText, time, languageName, countryName, onLanguage } from './i18n.js';
import { consolePage } from './console.js';
import { formFor, REASONS } from './moderation-forms.js';

const msg = $('#message');
const FEED_MAX = 200;
const SLOW_MODES = [0, 10, 30, 60, 120, 300];
const PARTICIPANTS_EVERY_MS = 15000;

let page = null;
let live = null;
let dialogue = null;
let dialogues = [];
let prompts = new Map();
let currentPrompt = null;
let slowModeSeconds = 0;
let connection = ['connecting'];
const queue = new Map(); // id → pending contribution
const feed = new Map();  // id → published contribution
const busy = new Set();  // contribution ids / participant ids with an action under way
const alerts = new Map(); // contribution id → {c, escalated}
const acknowledged = new Set(); // alerts acknowledged while this page is open (not shown again after a reconnect)
const participants = new Map(); // participant id → participant
let participantsSupported = true;
let participantsTimer = null;
let participantsSoon = null;
const forms = new Map(); // item key → the open inline form's state {kind, opener, …}
let queueFilter = '';
let themes = []; // the report's theme list (GET /api/themes), for tagging published messages during the session
const themePick = new Map(); // contribution id → the theme chosen in its select
const taggedHere = new Map(); // contribution id → names of the themes this facilitator gave it here

const announce = announcer($('#announcer'), (n) => t('announce.many', { n }));

function show(section) {
  for (const id of ['login', 'dialogues-section', 'room']) $(`#${id}`).hidden = id !== section;
}

// ---- dialogues ----------------------------------------------------------------------------------

async function showDialogues() {
  leaveRoom();
  show('dialogues-section');
  try {
    dialogues = (await page.call('GET', '/api/dialogues')).dialogues || [];
  } catch (err) {
    if (err.status !== 401) say(msg, errorText(err.code, err.message));
    return;
  }
  renderDialogues();
  const wanted = new URLSearchParams(location.search).get('dialogue');
  const found = dialogues.find((d) => d.id === wanted);
  if (found) enterRoom(found);
}

function renderDialogues() {
  $('#dialogues').replaceChildren(...dialogues.map((d) => el('li', { class: 'item', dataset: { dialogueId: d.id } },
    el('h2', { dir: 'auto', text: d.title }),
    el('p', { class: 'meta' }, `${t(`status.${d.status}`)} · ${t(`mode.${d.moderationMode}`)} · ${t('fac.code')} `,
      el('strong', { class: 'nowrap', dir: 'ltr', text: d.joinCode || '–' }),
      ` · ${(d.languages || []).map(languageName).join(', ')}`),
    el('button', { type: 'button', dataset: { action: 'moderate', dialogueId: d.id }, text: t('fac.moderate') }))));
  if (!dialogues.length) $('#dialogues').append(el('li', { class: 'empty', text: t('fac.noDialogues') }));
}

$('#refresh-dialogues').addEventListener('click', () => showDialogues());

$('#dialogues').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action="moderate"]');
  if (!button) return;
  enterRoom(dialogues.find((d) => d.id === button.dataset.dialogueId) || { id: button.dataset.dialogueId });
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
  $('#room-title').tabIndex = -1;
  $('#room-title').focus();
  renderRoom();
  live = new Live({ hello: () => ({ token: page.account().token, dialogueId: d.id }), onFrame, onState });
  live.start();
  participantsSupported = true;
  loadParticipants();
  loadThemes();
  participantsTimer = setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    loadParticipants();
    loadThemes();
  }, PARTICIPANTS_EVERY_MS);
}

function leaveRoom() {
  if (live) live.stop();
  live = null;
  dialogue = null;
  clearInterval(participantsTimer);
  clearTimeout(participantsSoon);
  for (const map of [queue, feed, alerts, participants, forms, themePick, taggedHere]) map.clear();
  themes = [];
  busy.clear();
  acknowledged.clear();
  queueFilter = '';
  renderAlerts();
}

function onState(state, detail) {
  connection = [state, detail];
  $('#connection-status').textContent = connectionText(state, detail);
  if (state !== 'stopped') return;
  if (detail && (detail.code === 'unauthorized' || detail.code === 'token_expired')) {
    page.signOut(t('signin.expired'));
  } else {
    history.replaceState(null, '', location.pathname);
    showDialogues().then(() => say(msg, detail ? errorText(detail.code, detail.message) : t('conn.stopped')));
  }
}

function send(frame) {
  if (live && live.send(frame)) return true;
  say(msg, t('fac.notConnected'));
  return false;
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
    case 'prompt':
      setPrompt(f.prompt);
      return announce(t('announce.prompt', { position: f.prompt.position }));
    case 'status': return setStatus(f.status);
    case 'dialogue': {
      // Staff edited it: title, later prompts, languages.
      const d = f.dialogue || {};
      dialogue = { ...dialogue, ...d };
      if (Array.isArray(d.prompts)) prompts = new Map(d.prompts.map((p) => [p.id, p]));
      if (d.currentPromptId != null && prompts.has(d.currentPromptId)) currentPrompt = prompts.get(d.currentPromptId);
      return renderRoom();
    }
    case 'alert': return onAlert(f.contribution);
    case 'alert_acknowledged':
      dropAlert(f.contributionId);
      return say(msg, t('alerts.acknowledgedBy', { id: f.contributionId, by: f.by || '' }), 'info');
    case 'alert_escalated': return onEscalated(f.contributionId);
    case 'slow_mode':
      slowModeSeconds = f.seconds || 0;
      renderSlowMode();
      return say(msg, slowModeSeconds ? t('fac.slowModeOn', { seconds: slowModeSeconds }) : t('fac.slowModeOff'), 'info');
    case 'participant': return onParticipant(f);
    case 'done': return onDone(f);
    case 'error': return onError(f);
    default: return undefined;
  }
}

function onWelcome(w) {
  const d = w.dialogue || {};
  dialogue = { ...dialogue, ...d };
  prompts = new Map((d.prompts || []).map((p) => [p.id, p]));
  queue.clear();
  feed.clear();
  busy.clear();
  for (const c of w.queue || []) {
    queue.set(c.id, c);
    if (isAlert(c) && !acknowledged.has(c.id) && !alerts.has(c.id)) alerts.set(c.id, { c, escalated: false });
  }
  for (const c of w.contributions || []) feed.set(c.id, c);
  slowModeSeconds = d.slowModeSeconds || 0;
  setPrompt(w.currentPrompt);
  say(msg, '');
  renderRoom();
}

const isAlert = (c) => Boolean(c && c.moderation && c.moderation.action === 'alert');

function setStatus(status) {
  if (dialogue) dialogue.status = status;
  $('#room-status').textContent = status ? t(`status.${status}`) : '';
}

function setPrompt(p) {
  currentPrompt = p || null;
  if (p) prompts.set(p.id, p);
  renderPrompt();
}

function renderPrompt() {
  const p = currentPrompt;
  const total = prompts.size;
  $('#prompt-text').textContent = p ? p.text : t('fac.noPrompt');
  $('#prompt-position').textContent = p ? t('fac.promptOf', { position: p.position, total }) : '';
  $('#next-prompt').disabled = Boolean(p) && p.position >= total;
}

function renderSlowMode() {
  const select = $('#slow-mode-seconds');
  const values = SLOW_MODES.includes(slowModeSeconds) ? SLOW_MODES : [...SLOW_MODES, slowModeSeconds].sort((a, b) => a - b);
  select.replaceChildren(...values.map((s) => el('option', { value: s, text: s ? t('fac.seconds', { n: s }) : t('fac.slowModeNone') })));
  select.value = String(slowModeSeconds);
}

function onContribution(c) {
  if (!c) return;
  busy.delete(c.id);
  if (c.status === 'pending') queue.set(c.id, { ...queue.get(c.id), ...c });
  else {
    queue.delete(c.id);
    forms.delete(`c-${c.id}`);
  }
  if (c.status === 'published') feed.set(c.id, { ...feed.get(c.id), ...c });
  else feed.delete(c.id);
  const alert = alerts.get(c.id);
  // An erased contribution's alert stays (safeguarding), without its words.
  if (alert) alert.c = c.erased ? { ...alert.c, ...c, text: '', nickname: '' } : { ...alert.c, ...c };
  if (c.participantId && participantsSupported && !participants.has(c.participantId)) loadParticipantsSoon();
  renderLists();
}

// ---- safeguarding alerts: seen and heard at once, until someone acknowledges them ----------------------

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
  } catch (e) { /* no sound available: the panel still shows */ }
}

function firstReason(c) {
  const first = ((c.moderation && c.moderation.findings) || [])[0] || {};
  return first.reason || first.category || t('alerts.needsAttention');
}

function onAlert(c) {
  if (!c) return;
  queue.set(c.id, { ...queue.get(c.id), ...c });
  if (acknowledged.has(c.id)) return;
  alerts.set(c.id, { c, escalated: false });
  $('#alert-live').textContent = t('alerts.new', { nickname: c.nickname || '', reason: firstReason(c) });
  beep();
  renderLists();
}

function onEscalated(id) {
  const alert = alerts.get(id) || { c: queue.get(id) || { id }, escalated: true };
  alert.escalated = true;
  alerts.set(id, alert);
  $('#alert-live').textContent = t('alerts.escalatedNow', { id });
  beep();
  renderAlerts();
}

function dropAlert(id) {
  acknowledged.add(id);
  alerts.delete(id);
  renderLists();
}

function renderAlerts() {
  const list = [...alerts.values()].sort((a, b) => a.c.id - b.c.id);
  const panel = $('#alerts-panel');
  panel.dataset.count = String(list.length);
  $('#alerts-count').textContent = list.length ? t('alerts.count', { n: list.length }) : t('alerts.none');
  document.title = list.length ? `${t('alerts.titlePrefix', { n: list.length })} – ${t('fac.pageTitle')}` : t('fac.pageTitle');
  syncList($('#alerts'), list, ({ c, escalated }) => {
    const li = el('li', { class: 'item alerting', dataset: { key: `a-${c.id}`, contributionId: c.id } },
      el('p', { class: 'meta' }, el('strong', {}, el('bdi', { text: c.nickname || t('alerts.aChild') })),
        ` · #${c.id}${c.createdAt ? ` · ${time(c.createdAt)}` : ''}`,
        escalated ? el('span', { class: 'escalated', text: ` · ${t('alerts.escalated')}` }) : null),
      el('p', { class: 'flags', text: flagsText(c) || firstReason(c) }),
      c.erased ? el('p', { class: 'muted', text: t('alerts.erased') }) : null,
      c.text ? el('p', { class: 'text', dir: 'auto' }, ...highlighted(c.text, (c.moderation || {}).findings)) : null,
      el('div', { class: 'row' },
        el('button', { type: 'button', class: 'danger', dataset: { action: 'ack_alert' }, disabled: busy.has(`a${c.id}`), text: t('alerts.acknowledge') }),
        queue.has(c.id) ? el('button', { type: 'button', class: 'secondary', dataset: { action: 'show' }, text: t('alerts.show') }) : null));
    li.dataset.sig = JSON.stringify([document.documentElement.lang, c, escalated, busy.has(`a${c.id}`), queue.has(c.id)]);
    return li;
  });
}

$('#alerts').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const id = Number(button.closest('li').dataset.contributionId);
  if (button.dataset.action === 'ack_alert') {
    if (send({ type: 'ack_alert', contributionId: id, ref: `ack_alert-${id}` })) {
      busy.add(`a${id}`);
      renderAlerts();
    }
  } else if (button.dataset.action === 'show') {
    const c = queue.get(id);
    if (c && queueFilter && languageOf(c) !== queueFilter) {
      queueFilter = '';
      renderQueue();
    }
    const item = $(`#queue li[data-contribution-id="${id}"]`);
    if (item) {
      item.scrollIntoView({ block: 'center' });
      const first = item.querySelector('button');
      (first || item).focus();
    }
  }
});

// ---- decisions ---------------------------------------------------------------------------------------

function onDone(f) {
  if (f.contributionId != null) busy.delete(f.contributionId);
  switch (f.action) {
    case 'ack_alert':
      busy.delete(`a${f.contributionId}`);
      dropAlert(f.contributionId);
      return say(msg, t('alerts.acknowledgedYou', { id: f.contributionId }), 'info');
    case 'approve': case 'reject': case 'remove':
      announce(t(`done.${f.action}`, { id: f.contributionId }));
      break;
    case 'mute': case 'remove_participant':
      if (f.participantId) busy.delete(f.participantId);
      break;
    default:
  }
  return renderLists();
}

function onError(f) {
  const ref = typeof f.ref === 'string' ? f.ref : '';
  const [action, target] = [ref.slice(0, ref.lastIndexOf('-')), ref.slice(ref.lastIndexOf('-') + 1)];
  if (action === 'ack_alert') {
    busy.delete(`a${target}`);
    if (f.code === 'no_open_alert') {
      dropAlert(Number(target)); // someone else acknowledged it already
      return;
    }
  } else if (['approve', 'reject', 'remove'].includes(action)) {
    busy.delete(Number(target));
  } else if (action === 'mute' || action === 'remove_participant') {
    busy.delete(target);
  }
  say(msg, errorText(f.code, f.message));
  renderLists();
}

$('#next-prompt').addEventListener('click', () => send({ type: 'next_prompt', ref: 'next' }));

$('#slow-mode-apply').addEventListener('click', () => {
  send({ type: 'slow_mode', seconds: Number($('#slow-mode-seconds').value) || 0, ref: 'slow' });
});

/** Opens an item's inline form; its first field gets the focus. */
function openForm(key, state) {
  forms.set(key, state);
  renderLists();
  const li = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
  const field = li && li.querySelector('.inline-form select, .inline-form textarea, .inline-form input, .inline-form button');
  if (field) field.focus();
}

function closeForm(key) {
  const state = forms.get(key);
  forms.delete(key);
  renderLists();
  const li = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
  const opener = li && state && li.querySelector(`[data-action="${state.opener}"]`);
  if (opener) opener.focus();
}

/** Every button in the queue, the published list and the participant list comes here. */
function onAction(button) {
  const li = button.closest('li[data-key]');
  if (!li) return;
  const key = li.dataset.key;
  const action = button.dataset.action;
  const id = Number(li.dataset.contributionId);
  const participantId = li.dataset.participantId;
  const c = queue.get(id) || feed.get(id);
  const nickname = (c && c.nickname) || (participants.get(participantId) || {}).nickname || '';
  const state = forms.get(key) || {};
  switch (action) {
    case 'approve':
      if (send({ type: 'approve', contributionId: id, ref: `approve-${id}` })) busy.add(id);
      break;
    case 'approve_edit': return openForm(key, { kind: 'edit', opener: action, text: (c && c.text) || '' });
    case 'reject': return openForm(key, { kind: 'reject', opener: action, reason: '', text: '' });
    case 'remove': return openForm(key, { kind: 'remove', opener: action, reason: '', text: '' });
    case 'mute': return openForm(key, { kind: 'mute', opener: action, minutes: 10, participantId, nickname });
    case 'kick': return openForm(key, { kind: 'kick', opener: action, text: '', participantId, nickname });
    case 'unmute':
      if (send({ type: 'mute', participantId, minutes: 0, ref: `mute-${participantId}` })) busy.add(participantId);
      break;
    case 'cancel': return closeForm(key);
    case 'tag': {
      const select = li.querySelector('select[data-field="theme"]');
      if (select) tagOne(id, Number(select.value));
      return undefined;
    }
    case 'submit': {
      const frame = formFrame(state, id);
      if (!frame) return undefined;
      if (!send(frame)) return undefined;
      busy.add(state.participantId || id);
      forms.delete(key);
      break;
    }
    default: return undefined;
  }
  return renderLists();
}

/** The live message an inline form sends (null if something is missing). */
function formFrame(state, id) {
  const reason = state.reason === 'other' ? (state.text || '').trim() : state.reason;
  switch (state.kind) {
    case 'edit': {
      const text = (state.text || '').trim();
      if (!text) {
        say(msg, t('fac.editEmpty'));
        return null;
      }
      return { type: 'approve', contributionId: id, text, ref: `approve-${id}` };
    }
    case 'reject': case 'remove': {
      const frame = { type: state.kind, contributionId: id, ref: `${state.kind}-${id}` };
      if (reason) frame.reason = reason;
      return frame;
    }
    case 'mute':
      return { type: 'mute', participantId: state.participantId, minutes: Number(state.minutes) || 10, ref: `mute-${state.participantId}` };
    case 'kick': {
      const frame = { type: 'remove_participant', participantId: state.participantId, ref: `remove_participant-${state.participantId}` };
      if ((state.text || '').trim()) frame.reason = state.text.trim();
      return frame;
    }
    default: return null;
  }
}

for (const list of ['#queue', '#feed', '#participants']) {
  const node = $(list);
  node.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (button && !button.disabled) onAction(button);
  });
  // What is typed in an inline form is kept while the list redraws (e.g. a late language tag).
  node.addEventListener('input', (event) => {
    const field = event.target.closest('[data-field]');
    const li = event.target.closest('li[data-key]');
    const state = li && forms.get(li.dataset.key);
    if (field && state) state[field.dataset.field] = field.value;
  });
  node.addEventListener('change', (event) => {
    const pick = event.target.closest('select[data-field="theme"]');
    const owner = pick && pick.closest('li[data-contribution-id]');
    if (owner) themePick.set(Number(owner.dataset.contributionId), pick.value);
    const field = event.target.closest('select[data-field="reason"]');
    if (field) renderLists(); // "other" shows the text box
  });
  node.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const li = event.target.closest('li[data-key]');
    if (li && forms.has(li.dataset.key)) closeForm(li.dataset.key);
  });
  node.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = event.target.querySelector('button[data-action="submit"]');
    if (button) onAction(button);
  });
}

// ---- drawing the lists -----------------------------------------------------------------------------

/** The language a contribution is in: what detection found when it was sure, else what the child chose. */
const languageOf = (c) => c.contentLanguage || c.language || 'und';

function promptLabel(promptId) {
  const p = prompts.get(promptId);
  return p ? t('fac.promptShort', { position: p.position }) : '';
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

function flagsText(c) {
  const moderation = c.moderation || {};
  const findings = moderation.findings || [];
  const flags = [...new Set(findings.map((f) => `${f.category}: ${f.reason}`))].join(' · ');
  return flags ? `${t(`action.${moderation.action}`)}: ${flags}` : '';
}

/** "Chose: Spanish · Detected: French" — the detected one is marked when it differs. */
function languagesLine(c) {
  const detected = c.detectedLanguage;
  const differs = detected && detected !== 'und' && detected !== c.language;
  let found;
  if (detected === undefined || detected === null) found = t('fac.lang.notYet');
  else found = t('fac.lang.detected', { language: languageName(detected) });
  return el('p', { class: 'langs', 'data-testid': 'languages', dataset: { chosen: c.language || '', detected: detected || '' } },
    t('fac.lang.chosen', { language: languageName(c.language) }), ' · ',
    el('span', { class: differs ? 'differs' : '' }, found),
    c.languageSource === 'chosen' ? el('span', { class: 'muted', text: ` (${t('fac.lang.usingChosen')})` }) : null);
}

function item(c, buttons, extra = null, extraSig = null) {
  const key = `c-${c.id}`;
  const form = forms.get(key);
  const moderation = c.moderation || {};
  const flags = flagsText(c);
  const reactions = Object.entries(c.reactions || {}).filter(([, n]) => n).map(([k, n]) => `${t(`reaction.${k}`)} ${n}`).join(' · ');
  const meta = [c.ageBand ? t('fac.ageBand', { band: c.ageBand }) : '', c.country ? countryName(c.country) : '',
    promptLabel(c.promptId), time(c.createdAt)].filter(Boolean).join(' · ');
  const isBusy = busy.has(c.id);
  const li = el('li', {
    class: `item${isAlert(c) ? ' alerting' : ''}`,
    dataset: { key, contributionId: c.id, participantId: c.participantId || '', status: c.status, moderation: moderation.action || 'allow', language: languageOf(c) },
  },
  el('p', { class: 'meta' }, `#${c.id} · `, el('strong', {}, el('bdi', { text: c.nickname || '' })), meta ? ` · ${meta}` : ''),
  languagesLine(c),
  flags ? el('p', { class: 'flags', 'data-testid': 'flags', text: flags }) : null,
  el('p', { class: 'text', dir: 'auto' }, ...highlighted(c.text || '', moderation.findings)),
  reactions ? el('p', { class: 'meta', text: reactions }) : null,
  form ? formFor(form, key, { reasons: REASONS }) : el('div', { class: 'row' }, ...buttons.map(([action, label, cls]) => el('button', {
    type: 'button', class: cls, dataset: { action }, disabled: isBusy, text: label,
  }))),
  form ? null : extra);
  li.dataset.sig = JSON.stringify([document.documentElement.lang, c, isBusy, form && form.kind, form && form.reason, extraSig]);
  return li;
}

function renderQueue() {
  const all = [...queue.values()].sort((a, b) => a.id - b.id);
  const counts = new Map();
  for (const c of all) counts.set(languageOf(c), (counts.get(languageOf(c)) || 0) + 1);
  if (queueFilter && !counts.has(queueFilter)) counts.set(queueFilter, 0);
  const select = $('#queue-language');
  const options = [el('option', { value: '', text: t('fac.allLanguages', { n: all.length }) }),
    ...[...counts.entries()].sort((a, b) => languageName(a[0]).localeCompare(languageName(b[0])))
      .map(([code, n]) => el('option', { value: code, text: t('fac.languageCount', { language: languageName(code), n }) }))];
  const signature = JSON.stringify(options.map((o) => [o.value, o.textContent]));
  if (select.dataset.sig !== signature) {
    select.replaceChildren(...options);
    select.dataset.sig = signature;
  }
  select.value = queueFilter;
  const list = queueFilter ? all.filter((c) => languageOf(c) === queueFilter) : all;
  $('#queue-count').textContent = queueFilter ? t('fac.shownOf', { shown: list.length, total: all.length }) : String(all.length);
  syncList($('#queue'), list, (c) => item(c, [
    ['approve', t('fac.approve'), ''], ['approve_edit', t('fac.editApprove'), 'secondary'], ['reject', t('fac.reject'), 'danger'],
    ...(c.participantId ? [['mute', t('fac.pause'), 'secondary small'], ['kick', t('fac.removeChild'), 'secondary small']] : [])]),
  el('li', { class: 'empty', text: queueFilter ? t('fac.queueEmptyFiltered') : t('fac.queueEmpty') }));
}

$('#queue-language').addEventListener('change', () => {
  queueFilter = $('#queue-language').value;
  renderQueue();
});

function renderFeed() {
  const list = [...feed.values()].sort((a, b) => b.id - a.id);
  for (const extra of list.slice(FEED_MAX)) feed.delete(extra.id);
  syncList($('#feed'), list.slice(0, FEED_MAX), (c) => item(c, [['remove', t('fac.remove'), 'danger'],
    ...(c.participantId ? [['mute', t('fac.pause'), 'secondary small'], ['kick', t('fac.removeChild'), 'secondary small']] : [])],
  themeControl(c), [themes, taggedHere.get(c.id) || [], busy.has(`t${c.id}`)]),
  el('li', { class: 'empty', text: t('fac.feedEmpty') }));
}

// ---- themes: facilitators tag published messages for the report while the session runs ---------------

async function loadThemes() {
  if (!dialogue) return;
  try {
    const res = await page.call('GET', '/api/themes');
    const next = (res.themes || []).map((th) => ({ id: th.id, name: th.name })).sort((a, b) => a.name.localeCompare(b.name));
    if (JSON.stringify(next) === JSON.stringify(themes)) return;
    themes = next;
  } catch (err) {
    themes = []; // an older server without themes: no control
  }
  if (dialogue) renderFeed();
}

/** A small "Theme" picker and button on a published message (only when staff have defined themes). */
function themeControl(c) {
  if (!themes.length) return null;
  const id = `theme-${c.id}`;
  const select = el('select', { id, dataset: { field: 'theme' }, 'data-testid': 'theme-select' },
    ...themes.map((th) => el('option', { value: th.id, text: th.name })));
  if (themePick.has(c.id) && themes.some((th) => String(th.id) === themePick.get(c.id))) select.value = themePick.get(c.id);
  return el('div', { class: 'row', dataset: { role: 'theme' } },
    el('label', { class: 'inline', for: id, text: t('fac.theme') }), select,
    el('button', { type: 'button', class: 'secondary small', dataset: { action: 'tag' }, disabled: busy.has(`t${c.id}`), text: t('fac.tag') }),
    ...(taggedHere.get(c.id) || []).map((name) => el('span', { class: 'chip', dataset: { tagged: name } }, el('bdi', { text: name }))));
}

async function tagOne(id, themeId) {
  const theme = themes.find((th) => th.id === themeId);
  if (!theme) return;
  busy.add(`t${id}`);
  renderFeed();
  try {
    const res = await page.call('POST', `/api/themes/${themeId}/contributions`, { contributionIds: [id], action: 'add' });
    if (res.notTaggable) {
      say(msg, t('fac.notTaggable'));
    } else {
      const names = taggedHere.get(id) || [];
      if (!names.includes(theme.name)) taggedHere.set(id, [...names, theme.name]);
      say(msg, t('fac.taggedAs', { id, theme: theme.name }), 'info');
      announce(t('fac.taggedAs', { id, theme: theme.name }));
    }
  } catch (err) {
    if (err.status !== 401) say(msg, errorText(err.code, err.message));
  } finally {
    busy.delete(`t${id}`);
    renderFeed();
  }
}

// ---- the children in the room ----------------------------------------------------------------------

async function loadParticipants() {
  if (!dialogue || !participantsSupported) return;
  const id = dialogue.id;
  try {
    const res = await page.call('GET', `/api/dialogues/${encodeURIComponent(id)}/participants`);
    if (!dialogue || dialogue.id !== id) return;
    const list = Array.isArray(res) ? res : (res && res.participants) || [];
    participants.clear();
    for (const p of list) participants.set(p.id, p);
    $('#participants-panel').hidden = false;
    renderParticipants();
  } catch (err) {
    // An older server without the list: the panel stays hidden; pausing and removing still work from each message.
    if (err.status === 404 || err.status === 405 || err.status === 403 || err.status === 501) {
      participantsSupported = false;
      $('#participants-panel').hidden = true;
    }
  }
}

function loadParticipantsSoon() {
  clearTimeout(participantsSoon);
  participantsSoon = setTimeout(loadParticipants, 1500);
}

function onParticipant(f) {
  const p = participants.get(f.participantId);
  if (p) {
    p.mutedUntil = f.mutedUntil || null;
    if (f.removed) p.removedAt = p.removedAt || new Date().toISOString();
  }
  busy.delete(f.participantId);
  forms.delete(`p-${f.participantId}`);
  const name = (p && p.nickname) || nicknameOf(f.participantId) || t('alerts.aChild');
  let text;
  if (f.erased) {
    participants.delete(f.participantId);
    text = t('fac.childErased', { nickname: name });
  } else if (f.removed) text = t('fac.childRemoved', { nickname: name });
  else if (f.mutedUntil && Date.parse(f.mutedUntil) > Date.now()) text = t('fac.childPaused', { nickname: name, time: time(f.mutedUntil) });
  else text = t('fac.childUnpaused', { nickname: name });
  say(msg, text, 'info');
  renderLists();
}

function nicknameOf(participantId) {
  for (const c of [...queue.values(), ...feed.values()]) if (c.participantId === participantId) return c.nickname;
  return '';
}

const isMuted = (p) => Boolean(p.mutedUntil) && Date.parse(p.mutedUntil) > Date.now();

function renderParticipants() {
  const list = [...participants.values()].sort((a, b) => (Boolean(a.removedAt) - Boolean(b.removedAt))
    || String(a.nickname).localeCompare(String(b.nickname)));
  $('#participants-count').textContent = String(list.filter((p) => !p.removedAt).length);
  syncList($('#participants'), list, (p) => {
    const key = `p-${p.id}`;
    const form = forms.get(key);
    const isBusy = busy.has(p.id);
    const state = p.removedAt ? t('fac.state.removed') : (isMuted(p) ? t('fac.state.paused', { time: time(p.mutedUntil) }) : '');
    const li = el('li', { class: 'item', dataset: { key, participantId: p.id, state: p.removedAt ? 'removed' : (isMuted(p) ? 'muted' : 'active') } },
      el('p', {}, el('strong', {}, el('bdi', { text: p.nickname || '' })), state ? ' ' : null, state ? el('span', { class: 'chip', text: state }) : null),
      el('p', { class: 'meta', text: [p.ageBand ? t('fac.ageBand', { band: p.ageBand }) : '', p.country ? countryName(p.country) : '',
        p.language ? languageName(p.language) : '', t('fac.contributions', { n: p.contributions || 0 })].filter(Boolean).join(' · ') }),
      // The pseudonymous id staff need to erase this child's data on request (staff page, docs/privacy.md).
      el('p', { class: 'meta' }, el('code', { dir: 'ltr', 'data-testid': 'participant-id', text: p.id })),
      form ? formFor(form, key, { reasons: REASONS }) : (p.removedAt ? null : el('div', { class: 'row' },
        isMuted(p)
          ? el('button', { type: 'button', class: 'secondary small', dataset: { action: 'unmute' }, disabled: isBusy, text: t('fac.unpause') })
          : el('button', { type: 'button', class: 'secondary small', dataset: { action: 'mute' }, disabled: isBusy, text: t('fac.pause') }),
        el('button', { type: 'button', class: 'danger small', dataset: { action: 'kick' }, disabled: isBusy, text: t('fac.removeChild') }))));
    li.dataset.sig = JSON.stringify([document.documentElement.lang, p, isBusy, form && form.kind]);
    return li;
  }, el('li', { class: 'empty', text: t('fac.noParticipants') }));
}

function renderLists() {
  renderAlerts();
  renderQueue();
  renderFeed();
  if (participantsSupported) renderParticipants();
}

function renderRoom() {
  if (!dialogue) return;
  $('#room-title').textContent = dialogue.title || '';
  $('#room-mode').textContent = dialogue.moderationMode ? t(`mode.${dialogue.moderationMode}`) : '';
  $('#room-join-code').textContent = dialogue.joinCode || '–';
  setStatus(dialogue.status);
  $('#connection-status').textContent = connectionText(...connection);
  renderPrompt();
  renderSlowMode();
  renderLists();
}

onLanguage(() => {
  if (!$('#dialogues-section').hidden) renderDialogues();
  if (dialogue) renderRoom();
  else renderAlerts();
});

// ---- start --------------------------------------------------------------------------------------

page = await consolePage({
  onSignIn: () => showDialogues(),
  onSignOut: () => {
    leaveRoom();
    show('login');
  },
});
if (page.account()) showDialogues();
else show('login');
