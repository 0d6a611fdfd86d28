// The staff page: dialogues (create, edit, open/close, assign facilitators, live counts), accounts,
// unacknowledged safeguarding alerts, the rule tester, and the report area (js/report-tools.js).
import { el, $, say } from './api.js';
import { t, errorText, time, dateTime, languageName, number, onLanguage } from './i18n.js';
import { consolePage, run } from './console.js';
import { reportTools } from './report-tools.js';

const msg = $('#message');
const STATS_EVERY_MS = 5000;
const ALERTS_EVERY_MS = 10000;
let page = null;
let tools = null; // the report area (js/report-tools.js)
let accounts = [];
let dialogues = [];
let alerts = [];
let editing = null; // the dialogue being edited (with prompts, currentPromptId, helplines, profanity), or null
let statsSupported = true;
const stats = new Map(); // dialogue id → the latest counts
const facilitatorNames = new Map(); // dialogue id → "ana, ben" once shown
let timers = [];
let defaultRetentionDays = null; // the server's privacy.defaultRetentionDays (GET /api/privacy)
const PARTICIPANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function show(signedIn) {
  $('#login').hidden = signedIn;
  $('#staff-area').hidden = !signedIn;
}

async function start() {
  const account = page.account();
  if (!account) {
    show(false);
    return;
  }
  if (account.account.role !== 'staff') {
    page.signOut(t('staff.notStaff', { username: account.account.username }));
    return;
  }
  show(true);
  defaultRetentionDays = (await page.call('GET', '/api/privacy').catch(() => ({}))).defaultRetentionDays ?? null;
  renderEditor();
  await loadAccounts(); // first: the dialogue rows offer the facilitator accounts
  await loadDialogues();
  await loadAlerts();
  await tools.start();
  stopTimers();
  timers = [
    setInterval(() => { if (visible()) loadStats(true).catch(() => {}); }, STATS_EVERY_MS),
    setInterval(() => { if (visible()) loadAlerts().catch(() => {}); }, ALERTS_EVERY_MS),
  ];
}

const visible = () => document.visibilityState === 'visible' && page.account() && !$('#staff-area').hidden;

function stopTimers() {
  for (const timer of timers) clearInterval(timer);
  timers = [];
}

// ---- safeguarding alerts that no facilitator has acknowledged ------------------------------------

async function loadAlerts() {
  if (!page.account()) return;
  alerts = (await page.call('GET', '/api/alerts')).alerts || [];
  renderAlerts();
}

function renderAlerts() {
  const banner = $('#alerts');
  banner.hidden = alerts.length === 0;
  banner.replaceChildren(el('strong', { text: t('staff.alerts', { n: alerts.length }) }),
    el('ul', {}, ...alerts.map((a) => el('li', {},
      a.escalated ? el('strong', { text: `${t('staff.escalated')} – ` }) : null,
      el('bdi', { text: a.dialogueTitle }),
      ` · #${a.contributionId} · ${t('staff.since', { time: time(a.raisedAt) })} `,
      el('a', { href: `facilitator.html?dialogue=${encodeURIComponent(a.dialogueId)}`, text: t('staff.moderate') })))));
}

// ---- rule tester ---------------------------------------------------------------------------------

$('#tester-form').addEventListener('submit', (event) => {
  event.preventDefault();
  run($('#tester-check'), async () => {
    const body = { text: $('#tester-text').value };
    if ($('#tester-language').value.trim()) body.language = $('#tester-language').value.trim();
    if ($('#tester-country').value.trim()) body.country = $('#tester-country').value.trim();
    const verdict = await page.call('POST', '/api/moderation/check', body);
    $('#tester-action').textContent = t(`action.${verdict.action}`);
    $('#tester-action').dataset.action = verdict.action;
    $('#tester-redacted').textContent = verdict.redactedText;
    $('#tester-findings').replaceChildren(...verdict.categories.map((f) => el('li', { class: 'item' },
      el('p', { class: 'meta', text: `${f.category} · ${t(`action.${f.action}`)} · ${f.severity} · ${f.ruleId}` }),
      el('p', { dir: 'auto', text: `“${verdict.redactedText.slice(f.start, f.end)}” – ${f.reason}` }))));
    $('#tester-result').hidden = false;
  });
});

// ---- accounts -----------------------------------------------------------------------------------

async function loadAccounts() {
  accounts = (await page.call('GET', '/api/accounts')).accounts || [];
  renderAccounts();
}

function renderAccounts() {
  $('#accounts').replaceChildren(...accounts.map((a) => el('li', { dataset: { accountId: a.id } },
    el('strong', { dir: 'ltr', text: a.username }), ` · ${t(`role.${a.role}`)}`)));
}

$('#account-form').addEventListener('submit', (event) => {
  event.preventDefault();
  run($('#account-create'), async () => {
    $('#account-result').hidden = true;
    const res = await page.call('POST', '/api/accounts', { username: $('#account-username').value.trim(), role: $('#account-role').value });
    $('#created-username').textContent = res.account.username;
    $('#generated-password').textContent = res.generatedPassword || t('staff.account.chosen');
    $('#account-result').hidden = false;
    $('#account-username').value = '';
    say(msg, '');
    await loadAccounts();
    await loadDialogues();
  });
});

// ---- dialogues ----------------------------------------------------------------------------------

async function loadDialogues() {
  const order = { open: 0, draft: 1, closed: 2 };
  dialogues = ((await page.call('GET', '/api/dialogues')).dialogues || [])
    .sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3) || String(b.createdAt).localeCompare(String(a.createdAt)));
  renderDialogues();
  tools.setDialogues(dialogues);
  await loadStats();
}

function schedule(d) {
  const parts = [];
  if (d.opensAt) parts.push(t('staff.opens', { time: dateTime(d.opensAt) }));
  if (d.closesAt) parts.push(t('staff.closes', { time: dateTime(d.closesAt) }));
  return parts.join(' · ');
}

function renderDialogues() {
  const facilitators = accounts.filter((a) => a.role === 'facilitator');
  $('#dialogues').replaceChildren(...dialogues.map((d) => {
    const when = schedule(d);
    const li = el('li', { class: 'item', dataset: { dialogueId: d.id, status: d.status } },
      el('h3', { dir: 'auto', text: d.title }),
      el('p', { class: 'meta' }, `${t(`status.${d.status}`)} · ${t(`mode.${d.moderationMode}`)} · ${t('staff.capacity', { n: d.capacity })} · ${t('fac.code')} `,
        el('strong', { class: 'nowrap', dir: 'ltr', 'data-testid': 'join-code', text: d.joinCode || '–' }),
        ` · ${(d.languages || []).map(languageName).join(', ')}`),
      when ? el('p', { class: 'meta', text: when }) : null,
      el('div', { class: 'stats', 'data-testid': 'stats', dataset: { role: 'stats' }, hidden: !statsSupported }),
      el('p', { class: 'meta', dataset: { role: 'facilitators' }, text: facilitatorNames.has(d.id) ? t('staff.facilitators', { names: facilitatorNames.get(d.id) || t('staff.none') }) : '' }),
      el('div', { class: 'row' },
        el('button', { type: 'button', dataset: { action: 'open' }, disabled: d.status === 'open', text: t('staff.open') }),
        el('button', { type: 'button', class: 'danger', dataset: { action: 'close' }, disabled: d.status === 'closed', text: t('staff.close') }),
        el('button', { type: 'button', class: 'secondary', dataset: { action: 'edit' }, text: t('staff.edit') }),
        el('button', { type: 'button', class: 'secondary', dataset: { action: 'details' }, text: t('staff.showFacilitators') }),
        el('a', { class: 'button secondary', href: `facilitator.html?dialogue=${encodeURIComponent(d.id)}`, text: t('staff.moderate') })),
      el('div', { class: 'row' },
        el('label', { class: 'visually-hidden', for: `assign-${d.id}`, text: t('staff.assignLabel') }),
        el('select', { id: `assign-${d.id}`, dataset: { role: 'facilitator-select' } },
          ...facilitators.map((a) => el('option', { value: a.id, text: a.username }))),
        el('button', { type: 'button', class: 'secondary', dataset: { action: 'assign' }, disabled: !facilitators.length, text: t('staff.assign') })),
      el('div', { class: 'notice', dataset: { role: 'confirm' }, hidden: true }));
    renderStats(li, stats.get(d.id));
    return li;
  }));
  if (!dialogues.length) $('#dialogues').append(el('li', { class: 'empty', text: t('staff.noDialogues') }));
  const eraseIn = $('#erase-dialogue');
  const chosen = eraseIn.value;
  eraseIn.replaceChildren(...dialogues.map((d) => el('option', { value: d.id, text: d.title })));
  if (dialogues.some((d) => d.id === chosen)) eraseIn.value = chosen;
  $('#stats-note').hidden = !statsSupported;
}

/**
 * Counts for every listed dialogue (staff see them all); the timer asks again only for those not closed.
 * An older server without them: hidden.
 */
async function loadStats(liveOnly = false) {
  if (!statsSupported || !page.account()) return;
  await Promise.all(dialogues.filter((d) => !liveOnly || d.status !== 'closed').map(async (d) => {
    try {
      const s = await page.call('GET', `/api/dialogues/${encodeURIComponent(d.id)}/stats`);
      stats.set(d.id, s);
      const li = $(`#dialogues li[data-dialogue-id="${CSS.escape(d.id)}"]`);
      if (li) renderStats(li, s);
    } catch (err) {
      if (err.status === 404 || err.status === 405 || err.status === 501) {
        statsSupported = false;
        for (const node of document.querySelectorAll('[data-role="stats"]')) node.hidden = true;
        $('#stats-note').hidden = true;
      }
    }
  }));
}

function renderStats(li, s) {
  const box = li.querySelector('[data-role="stats"]');
  if (!box || !s) return;
  const c = s.contributions || {};
  const count = (key, value) => el('span', { dataset: { count: key } }, `${t(`staff.count.${key}`)}: `, el('strong', { text: number(value || 0) }));
  const langs = (s.languages || []).filter((l) => l.contributions > 0)
    .sort((a, b) => b.contributions - a.contributions)
    .map((l) => el('span', { class: 'chip', dataset: { language: l.language } }, `${languageName(l.language)} `, el('strong', { text: number(l.contributions) })));
  box.replaceChildren(count('participants', s.participants), count('pending', c.pending), count('published', c.published),
    count('rejected', c.rejected), count('removed', c.removed), count('total', c.total), count('openAlerts', s.openAlerts),
    langs.length ? el('span', { dataset: { role: 'languages' } }, `${t('staff.count.languages')}: `, ...langs.flatMap((x, i) => (i ? [' ', x] : [x]))) : null);
}

async function showFacilitators(li) {
  const d = await page.call('GET', `/api/dialogues/${li.dataset.dialogueId}`);
  const names = (d.facilitators || []).map((f) => f.username).join(', ');
  facilitatorNames.set(d.id, names);
  li.querySelector('[data-role="facilitators"]').textContent = t('staff.facilitators', { names: names || t('staff.none') });
}

$('#dialogues').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const li = button.closest('li');
  const id = li.dataset.dialogueId;
  const action = button.dataset.action;
  if (action === 'close') {
    askToClose(li);
    return;
  }
  run(button, async () => {
    if (action === 'open' || action === 'close-now') {
      await page.call('POST', `/api/dialogues/${id}/${action === 'open' ? 'open' : 'close'}`);
      say(msg, '');
      await loadDialogues();
      const again = $(`#dialogues li[data-dialogue-id="${CSS.escape(id)}"] button[data-action="${action === 'open' ? 'close' : 'open'}"]`);
      if (again) again.focus();
    } else if (action === 'close-cancel') {
      li.querySelector('[data-role="confirm"]').hidden = true;
      li.querySelector('button[data-action="close"]').focus();
    } else if (action === 'assign') {
      const accountId = li.querySelector('[data-role="facilitator-select"]').value;
      await page.call('PUT', `/api/dialogues/${id}/facilitators/${accountId}`);
      say(msg, '');
      await showFacilitators(li);
    } else if (action === 'details') {
      await showFacilitators(li);
    } else if (action === 'edit') {
      await startEditing(id);
    }
  });
});

/** Closing ends the dialogue for every child in it: asked inline, not with a browser dialog. */
function askToClose(li) {
  const box = li.querySelector('[data-role="confirm"]');
  box.replaceChildren(el('p', { text: t('staff.closeQuestion') }), el('div', { class: 'row' },
    el('button', { type: 'button', class: 'danger', dataset: { action: 'close-now' }, text: t('staff.closeNow') }),
    el('button', { type: 'button', class: 'secondary', dataset: { action: 'close-cancel' }, text: t('form.cancel') })));
  box.hidden = false;
  box.querySelector('button').focus();
}

$('#refresh').addEventListener('click', (event) => run(event.currentTarget, async () => {
  await loadAccounts();
  await loadDialogues();
}));

// ---- create and edit ------------------------------------------------------------------------------

/** "2026-12-01T09:00" in this browser's time zone, for a datetime-local input. */
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value) {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** How many prompts were already asked (they cannot change any more). */
function askedPrompts(d) {
  if (!d || d.currentPromptId == null) return 0;
  const current = (d.prompts || []).find((p) => p.id === d.currentPromptId);
  return current ? current.position : 0;
}

function renderEditor() {
  const heading = $('#dialogue-form-heading');
  heading.textContent = editing ? t('staff.editing', { title: editing.title }) : t('staff.newDialogue');
  $('#dlg-save').textContent = editing ? t('staff.form.save') : t('staff.form.create');
  $('#dlg-cancel').hidden = !editing;
  const asked = askedPrompts(editing);
  $('#dlg-prompts-hint').textContent = asked ? t('staff.form.promptsLocked', { n: asked }) : t('staff.form.promptsHint');
  $('#dlg-prompts-hint').dataset.locked = String(asked);
  $('#dlg-retention-hint').textContent = defaultRetentionDays ? t('staff.form.retentionHint', { days: defaultRetentionDays }) : '';
  $('#dlg-retention').placeholder = defaultRetentionDays ? String(defaultRetentionDays) : '';
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  $('#dlg-zone').textContent = t('staff.form.timeZone', { zone });
}

async function startEditing(id) {
  editing = await page.call('GET', `/api/dialogues/${encodeURIComponent(id)}`);
  $('#dlg-title').value = editing.title || '';
  $('#dlg-description').value = editing.description || '';
  $('#dlg-prompts').value = (editing.prompts || []).slice().sort((a, b) => a.position - b.position).map((p) => p.text).join('\n');
  $('#dlg-languages').value = (editing.languages || []).join(', ');
  $('#dlg-mode').value = editing.moderationMode || 'pre';
  $('#dlg-capacity').value = String(editing.capacity || 1000);
  $('#dlg-opens').value = toLocalInput(editing.opensAt);
  $('#dlg-closes').value = toLocalInput(editing.closesAt);
  $('#dlg-retention').value = editing.retentionDays == null ? '' : String(editing.retentionDays);
  $('#dlg-after-retention').value = editing.afterRetention || 'keep_report';
  renderEditor();
  $('#dialogue-editor').scrollIntoView({ block: 'start' });
  $('#dialogue-form-heading').focus();
}

function stopEditing() {
  editing = null;
  $('#dialogue-form').reset();
  renderEditor();
}

$('#dlg-cancel').addEventListener('click', () => {
  const id = editing && editing.id;
  stopEditing();
  const back = id && $(`#dialogues li[data-dialogue-id="${CSS.escape(id)}"] button[data-action="edit"]`);
  if (back) back.focus();
});

$('#new-dialogue').addEventListener('click', () => {
  stopEditing();
  $('#dialogue-editor').scrollIntoView({ block: 'start' });
  $('#dlg-title').focus();
});

$('#dialogue-form').addEventListener('submit', (event) => {
  event.preventDefault();
  run($('#dlg-save'), async () => {
    const body = {
      title: $('#dlg-title').value.trim(),
      description: $('#dlg-description').value.trim(),
      prompts: $('#dlg-prompts').value.split('\n').map((p) => p.trim()).filter(Boolean),
      languages: $('#dlg-languages').value.split(/[\s,;]+/).map((l) => l.trim().toLowerCase()).filter(Boolean),
      moderationMode: $('#dlg-mode').value,
      capacity: Number.parseInt($('#dlg-capacity').value, 10),
      opensAt: fromLocalInput($('#dlg-opens').value),
      closesAt: fromLocalInput($('#dlg-closes').value),
      retentionDays: $('#dlg-retention').value ? Number.parseInt($('#dlg-retention').value, 10) : null,
      afterRetention: $('#dlg-after-retention').value,
    };
    if (editing) {
      // Keep what this form does not show.
      if (editing.helplines) body.helplines = editing.helplines;
      if (editing.profanity) body.profanity = editing.profanity;
      const d = await page.call('PUT', `/api/dialogues/${encodeURIComponent(editing.id)}`, body);
      stopEditing();
      say(msg, t('staff.saved', { title: d.title || body.title }), 'info');
    } else {
      const d = await page.call('POST', '/api/dialogues', body);
      stopEditing();
      say(msg, t('staff.created', { title: d.title }), 'info');
    }
    await loadDialogues();
  });
});

// ---- erasure of one child by its pseudonymous id (docs/privacy.md) -------------------------------------

$('#erase-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = $('#erase-participant').value.trim();
  if (!PARTICIPANT_ID.test(id) || !$('#erase-dialogue').value) {
    say($('#erase-result'), t('staff.erase.badId'));
    $('#erase-participant').focus();
    return;
  }
  say($('#erase-result'), '');
  $('#erase-question').textContent = t('staff.erase.question', { id });
  $('#erase-confirm').hidden = false;
  $('#erase-cancel').focus();
});

$('#erase-cancel').addEventListener('click', () => {
  $('#erase-confirm').hidden = true;
  $('#erase-ask').focus();
});

$('#erase-now').addEventListener('click', (event) => run(event.currentTarget, async () => {
  const dialogueId = $('#erase-dialogue').value;
  const id = $('#erase-participant').value.trim();
  const erased = await page.call('DELETE', `/api/dialogues/${encodeURIComponent(dialogueId)}/participants/${encodeURIComponent(id)}`);
  $('#erase-confirm').hidden = true;
  $('#erase-participant').value = '';
  say($('#erase-result'), t('staff.erase.done', { contributions: erased.contributions, reactions: erased.reactions, alerts: erased.alertsKept }), 'info');
  await loadStats();
}));

onLanguage(() => {
  if (!page || !page.account()) return;
  renderEditor();
  renderAccounts();
  renderDialogues();
  renderAlerts();
  const action = $('#tester-action');
  if (action.dataset.action) action.textContent = t(`action.${action.dataset.action}`);
});

// ---- start --------------------------------------------------------------------------------------

page = await consolePage({
  onSignIn: () => start(),
  onSignOut: () => {
    stopTimers();
    show(false);
  },
});
tools = reportTools(page);
start().catch((err) => {
  if (err.status !== 401) say(msg, errorText(err.code, err.message));
});
