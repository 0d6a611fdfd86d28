// The staff page: accounts, dialogues, opening/closing, assigning facilitators.
import { signedInApi, el, $, say, savedAccount, login, logout } from './api.js';

const msg = $('#message');
let account = savedAccount();
let accounts = [];

function show(signedIn) {
  $('#login').hidden = signedIn;
  $('#staff-area').hidden = !signedIn;
  $('#logout').hidden = !signedIn;
}

function signedOut(text) {
  logout();
  account = null;
  show(false);
  say(msg, text, 'info');
}

const call = signedInApi(() => account, (text) => signedOut(text));

/** Runs an action, showing its error (if any) in the message line; disables the button meanwhile. */
async function run(button, work) {
  if (button) button.disabled = true;
  try {
    await work();
  } catch (err) {
    if (err.status !== 401) say(msg, err.message);
  } finally {
    if (button) button.disabled = false;
  }
}

// ---- sign in ------------------------------------------------------------------------------------

$('#login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  run($('#login-submit'), async () => {
    account = await login($('#username').value.trim(), $('#password').value);
    $('#password').value = '';
    say(msg, '');
    await start();
  });
});

$('#logout').addEventListener('click', () => signedOut('You are signed out.'));

async function start() {
  if (!account) {
    show(false);
    return;
  }
  if (account.account.role !== 'staff') {
    signedOut(`“${account.account.username}” is not a staff account. Facilitators use facilitator.html.`);
    return;
  }
  show(true);
  await loadAccounts(); // first: the dialogue rows offer the facilitator accounts
  await loadDialogues();
  await loadAlerts();
}

// ---- safeguarding alerts that no facilitator has acknowledged ------------------------------------

async function loadAlerts() {
  if (!account) return;
  const { alerts } = await call('GET', '/api/alerts');
  const banner = $('#alerts');
  banner.hidden = alerts.length === 0;
  banner.replaceChildren(el('strong', { text: `${alerts.length} safeguarding alert(s) not acknowledged` }),
    el('ul', {}, ...alerts.map((a) => el('li', {},
      `${a.escalated ? 'ESCALATED — ' : ''}${a.dialogueTitle}: contribution #${a.contributionId} since ${new Date(a.raisedAt).toLocaleTimeString()} `,
      el('a', { href: `facilitator.html?dialogue=${encodeURIComponent(a.dialogueId)}`, text: 'Moderate' })))));
}

setInterval(() => { loadAlerts().catch(() => {}); }, 10000);

// ---- rule tester ---------------------------------------------------------------------------------

$('#tester-form').addEventListener('submit', (event) => {
  event.preventDefault();
  run($('#tester-check'), async () => {
    const body = { text: $('#tester-text').value };
    if ($('#tester-language').value.trim()) body.language = $('#tester-language').value.trim();
    if ($('#tester-country').value.trim()) body.country = $('#tester-country').value.trim();
    const verdict = await call('POST', '/api/moderation/check', body);
    $('#tester-action').textContent = verdict.action;
    $('#tester-redacted').textContent = verdict.redactedText;
    $('#tester-findings').replaceChildren(...verdict.categories.map((f) => el('li', { class: 'item' },
      el('p', { class: 'meta', text: `${f.category} · ${f.action} · ${f.severity} · ${f.ruleId}` }),
      el('p', { text: `“${verdict.redactedText.slice(f.start, f.end)}” — ${f.reason}` }))));
    $('#tester-result').hidden = false;
  });
});

// ---- accounts -----------------------------------------------------------------------------------

async function loadAccounts() {
  accounts = (await call('GET', '/api/accounts')).accounts || [];
  $('#accounts').replaceChildren(...accounts.map((a) => el('li', { dataset: { accountId: a.id } },
    el('strong', { text: a.username }), ` · ${a.role}`)));
}

$('#account-form').addEventListener('submit', (event) => {
  event.preventDefault();
  run($('#account-create'), async () => {
    $('#account-result').hidden = true;
    const res = await call('POST', '/api/accounts', { username: $('#account-username').value.trim(), role: $('#account-role').value });
    $('#created-username').textContent = res.account.username;
    $('#generated-password').textContent = res.generatedPassword || '(the one you chose)';
    $('#account-result').hidden = false;
    $('#account-username').value = '';
    say(msg, '');
    await loadAccounts();
    await loadDialogues();
  });
});

// ---- dialogues ----------------------------------------------------------------------------------

async function loadDialogues() {
  const list = (await call('GET', '/api/dialogues')).dialogues || [];
  const facilitators = accounts.filter((a) => a.role === 'facilitator');
  $('#dialogues').replaceChildren(...list.map((d) => el('li', { class: 'item', dataset: { dialogueId: d.id, status: d.status } },
    el('p', {}, el('strong', { text: d.title })),
    el('p', { class: 'meta' }, `${d.status} · ${d.moderationMode} · capacity ${d.capacity} · code `,
      el('strong', { class: 'nowrap', 'data-testid': 'join-code', text: d.joinCode || '–' })),
    el('p', { class: 'meta', dataset: { role: 'facilitators' } }),
    el('div', { class: 'row' },
      el('button', { type: 'button', dataset: { action: 'open' }, disabled: d.status === 'open', text: 'Open' }),
      el('button', { type: 'button', class: 'danger', dataset: { action: 'close' }, disabled: d.status === 'closed', text: 'Close' }),
      el('button', { type: 'button', class: 'secondary', dataset: { action: 'details' }, text: 'Facilitators' }),
      el('a', { href: `facilitator.html?dialogue=${encodeURIComponent(d.id)}`, text: 'Moderate' })),
    el('div', { class: 'row' },
      el('select', { 'aria-label': 'Facilitator to assign', dataset: { role: 'facilitator-select' } },
        ...facilitators.map((a) => el('option', { value: a.id, text: a.username }))),
      el('button', { type: 'button', class: 'secondary', dataset: { action: 'assign' }, disabled: !facilitators.length, text: 'Assign' })))));
  if (!list.length) $('#dialogues').append(el('li', { class: 'empty', text: 'No dialogues yet.' }));
}

async function showFacilitators(li) {
  const d = await call('GET', `/api/dialogues/${li.dataset.dialogueId}`);
  const names = (d.facilitators || []).map((f) => f.username).join(', ');
  li.querySelector('[data-role="facilitators"]').textContent = `Facilitators: ${names || 'none'}`;
}

$('#dialogues').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const li = button.closest('li');
  const id = li.dataset.dialogueId;
  const action = button.dataset.action;
  run(button, async () => {
    if (action === 'open' || action === 'close') {
      if (action === 'close' && !window.confirm('Close this dialogue for everyone?')) return;
      await call('POST', `/api/dialogues/${id}/${action}`);
      say(msg, '');
      await loadDialogues();
    } else if (action === 'assign') {
      const accountId = li.querySelector('[data-role="facilitator-select"]').value;
      await call('PUT', `/api/dialogues/${id}/facilitators/${accountId}`);
      say(msg, '');
      await showFacilitators(li);
    } else if (action === 'details') {
      await showFacilitators(li);
    }
  });
});

$('#refresh').addEventListener('click', (event) => run(event.currentTarget, async () => {
  await loadAccounts();
  await loadDialogues();
}));

$('#dialogue-form').addEventListener('submit', (event) => {
  event.preventDefault();
  run($('#dlg-create'), async () => {
    const body = {
      title: $('#dlg-title').value.trim(),
      description: $('#dlg-description').value.trim(),
      prompts: $('#dlg-prompts').value.split('\n').map((p) => p.trim()).filter(Boolean),
      languages: $('#dlg-languages').value.split(/[\s,]+/).map((l) => l.trim().toLowerCase()).filter(Boolean),
      moderationMode: $('#dlg-mode').value,
      capacity: Number.parseInt($('#dlg-capacity').value, 10),
    };
    const d = await call('POST', '/api/dialogues', body);
    $('#dialogue-form').reset();
    say(msg, `Created “${d.title}”. Open it to get a join code.`, 'info');
    await loadDialogues();
  });
});

start().catch((err) => {
  if (err.status !== 401) say(msg, err.message);
});
