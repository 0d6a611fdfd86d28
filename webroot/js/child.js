// The child's page: join code → consent → about you → the live room (js/room.js).
import { api, el, $, say, readJson, writeJson } from './api.js';
import {
  init, t, errorText, languagePicker, onLanguage, setLanguage, isSupported, language, languages, autonym, countryName,
} from './i18n.js';
import { enterRoom, resumeSession } from './room.js';

const CHILD_LANGUAGES = ['en', 'fr', 'es', 'ar', 'ru', 'zh', 'pt', 'sw'];
// ISO 3166-1 alpha-2, as the server accepts them (Java's Locale.getISOCountries()).
const COUNTRIES = ('ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCU'
  + 'CVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQ'
  + 'IRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENF'
  + 'NGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJ'
  + 'TKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW').match(/../g);
const DRAFT = 'chorus.joinDraft'; // what the child already chose, so a reload or a language switch loses nothing

const msg = $('#message');
let joinCode = '';
let preview = null; // the answer of GET /api/join/{code}
let generatedNickname = '';

function show(step) {
  for (const id of ['step-code', 'step-consent', 'step-join', 'step-room']) $(`#${id}`).hidden = id !== step;
  const heading = $(`#${step} h1`);
  if (heading && step !== 'step-code') {
    heading.tabIndex = -1;
    heading.focus(); // a screen reader hears where it is now
  }
}

// ---- step 1: the join code ----------------------------------------------------------------------

$('#code-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const code = $('#join-code').value.trim();
  if (!code) {
    say(msg, t('code.empty'));
    $('#join-code').focus();
    return;
  }
  const button = $('#join-lookup');
  button.disabled = true;
  try {
    preview = await api('GET', `/api/join/${encodeURIComponent(code)}`);
    joinCode = code;
    say(msg, '');
    showConsent();
  } catch (err) {
    say(msg, err.status === 429 ? t('error.tooManyCodes') : errorText(err.code, err.message));
    $('#join-code').focus();
  } finally {
    button.disabled = false;
  }
});

// ---- step 2: consent, in words a child understands -------------------------------------------------

function renderConsent() {
  if (!preview) return;
  const d = preview.dialogue || {};
  $('#dialogue-title').textContent = d.title || '';
  $('#dialogue-description').textContent = d.description || '';
  $('#consent-what').textContent = t(d.moderationMode === 'post' ? 'consent.what.post' : 'consent.what.pre');
  const helplines = Array.isArray(d.helplines) && d.helplines.length
    ? d.helplines : [{ name: t('consent.helplineDefault'), phone: '116 111' }];
  $('#consent-helplines').replaceChildren(...helplines.map((h) => el('li', {},
    el('strong', { dir: 'auto', text: h.name }),
    h.phone ? el('span', {}, ' ', el('a', { href: `tel:${h.phone.replace(/[^0-9+]/g, '')}`, dir: 'ltr', text: h.phone })) : null,
    h.url ? el('span', {}, ' ', el('a', { href: h.url, target: '_blank', rel: 'noopener', dir: 'ltr', text: h.url })) : null)));
}

function showConsent() {
  renderConsent();
  show('step-consent');
}

$('#consent-no').addEventListener('click', () => {
  preview = null;
  joinCode = '';
  show('step-code');
  say(msg, t('consent.declined'), 'info');
});

$('#consent-yes').addEventListener('click', () => {
  showJoinForm();
});

// ---- step 3: about you ----------------------------------------------------------------------------

function option(value, text, attrs = {}) {
  return el('option', { value, text, ...attrs });
}

/** The dialogue's languages first, then the other languages this page speaks; each in its own name. */
function fillLanguages() {
  const select = $('#language');
  const chosen = select.value || language();
  const dialogueLanguages = ((preview && preview.dialogue && preview.dialogue.languages) || []).filter((c) => /^[a-z]{2}$/.test(c));
  const codes = [...new Set([...dialogueLanguages, ...languages()])];
  select.replaceChildren(...codes.map((code) => option(code, autonym(code), { lang: code })));
  select.value = codes.includes(chosen) ? chosen : (codes.includes(language()) ? language() : codes[0]);
}

function fillAgeBands() {
  const select = $('#age-band');
  const chosen = select.value;
  const bands = (preview && preview.ageBands) || [];
  select.replaceChildren(option('', t('join.choose')),
    ...bands.map((band) => option(band, t('join.ageBand', { band: band.replace('-', '–') }))));
  if (bands.includes(chosen)) select.value = chosen;
}

function fillCountries() {
  const select = $('#country');
  const chosen = select.value || guessCountry();
  const collator = new Intl.Collator(language());
  const names = COUNTRIES.map((code) => [code, countryName(code)]).sort((a, b) => collator.compare(a[1], b[1]));
  select.replaceChildren(option('', t('join.choose')), ...names.map(([code, name]) => option(code, name)));
  if (COUNTRIES.includes(chosen)) select.value = chosen;
}

function guessCountry() {
  for (const tag of navigator.languages || [navigator.language || '']) {
    const region = String(tag).split('-')[1];
    if (region && /^[A-Za-z]{2}$/.test(region)) return region.toUpperCase();
  }
  return '';
}

function randomOf(list) {
  const bytes = crypto.getRandomValues(new Uint32Array(1));
  return list[bytes[0] % list.length];
}

/** A friendly nickname in the interface language, e.g. "Zorro Veloz"; the server makes one if none is sent. */
function suggestNickname() {
  const adjectives = t('nick.adjectives').split('|').filter(Boolean);
  const animals = t('nick.animals').split('|').filter(Boolean);
  if (!adjectives.length || !animals.length) return '';
  return t('nick.pattern', { adjective: randomOf(adjectives), animal: randomOf(animals) }).slice(0, 24);
}

function newNickname() {
  generatedNickname = suggestNickname();
  $('#nickname').value = generatedNickname;
  saveDraft();
}

$('#nickname-new').addEventListener('click', newNickname);

function saveDraft() {
  writeJson(sessionStorage, DRAFT, {
    nickname: $('#nickname').value, generated: $('#nickname').value === generatedNickname,
    ageBand: $('#age-band').value, country: $('#country').value, language: $('#language').value,
  });
}

function showJoinForm() {
  fillLanguages();
  fillAgeBands();
  fillCountries();
  const draft = readJson(sessionStorage, DRAFT) || {};
  if (draft.nickname && !draft.generated) {
    $('#nickname').value = draft.nickname;
    generatedNickname = '';
  } else {
    newNickname();
  }
  if (draft.ageBand) $('#age-band').value = draft.ageBand;
  if (draft.country && COUNTRIES.includes(draft.country)) $('#country').value = draft.country;
  show('step-join');
}

for (const id of ['#nickname', '#age-band', '#country']) $(id).addEventListener('change', saveDraft);
$('#nickname').addEventListener('input', saveDraft);

// Choosing a language switches the whole page at once (when the page speaks it).
$('#language').addEventListener('change', () => {
  saveDraft();
  const code = $('#language').value;
  if (isSupported(code)) setLanguage(code);
});

$('#join-back').addEventListener('click', () => {
  say(msg, '');
  showConsent();
});

$('#join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = {
    code: joinCode,
    ageBand: $('#age-band').value,
    country: $('#country').value,
    language: $('#language').value,
    consent: true,
  };
  const nickname = $('#nickname').value.trim();
  if (nickname) body.nickname = nickname;
  const missing = !body.ageBand ? '#age-band' : (!body.country ? '#country' : null);
  if (missing) {
    say(msg, t(missing === '#age-band' ? 'join.needAge' : 'join.needCountry'));
    $(missing).focus();
    return;
  }
  const button = $('#join-submit');
  button.disabled = true;
  try {
    const res = await api('POST', '/api/join', { body });
    say(msg, '');
    sessionStorage.removeItem(DRAFT);
    enterRoom({
      token: res.token,
      expiresAt: res.expiresAt,
      nickname: res.participant.nickname,
      dialogue: { id: res.dialogue.id, title: res.dialogue.title },
    }, { fresh: true, onEnd: backToStart });
    show('step-room');
  } catch (err) {
    say(msg, errorText(err.code, err.message));
    if (err.code === 'invalid_nickname') $('#nickname').focus();
  } finally {
    button.disabled = false;
  }
});

/** The room ended (stopped, removed, expired): back to the code step with a message. */
export function backToStart(text) {
  preview = null;
  joinCode = '';
  show('step-code');
  say(msg, text, 'info');
  $('#join-code').focus();
}

onLanguage(() => {
  renderConsent();
  if (!$('#step-join').hidden) {
    fillAgeBands();
    fillCountries();
    if ($('#language').value !== language() && [...$('#language').options].some((o) => o.value === language())) {
      $('#language').value = language();
    }
    if ($('#nickname').value === generatedNickname) newNickname();
  }
});

// ---- start --------------------------------------------------------------------------------------

await init('child', CHILD_LANGUAGES);
languagePicker($('#ui-language'));
if (resumeSession(backToStart)) {
  show('step-room');
} else {
  const code = new URLSearchParams(location.search).get('code');
  if (code) $('#join-code').value = code;
  show('step-code');
}
