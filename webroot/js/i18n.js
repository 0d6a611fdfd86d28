// Message catalogues: webroot/i18n/<bundle>.<lang>.json, one file per language and bundle
// ("child" for index.html, "console" for the facilitator and staff pages, so a child loads only its own).
// t(key, params) looks the key up in the chosen language, then in English, then shows the key itself.
// Values use {name} placeholders and plurals in ICU style: "{n, plural, one {# message} other {# messages}}"
// (# is the number; categories come from Intl.PluralRules, "=0"-style exact matches are allowed).
// Elements carry data-i18n="key" (text) and data-i18n-attr="placeholder:key;aria-label:key" (attributes).

const STORE_KEY = 'chorus.lang';
const RTL = new Set(['ar', 'fa', 'he', 'ur']);
/** Each language's own name, so a child who cannot read the current one still finds theirs. */
export const AUTONYMS = {
  en: 'English', fr: 'Français', es: 'Español', ar: 'العربية', ru: 'Русский', zh: '中文', pt: 'Português', sw: 'Kiswahili',
};

let bundle = 'child';
let supported = ['en'];
let lang = 'en';
let messages = {};
let english = {};
let generation = 0;
const cache = new Map();
const listeners = new Set();

function load(code) {
  const name = `${bundle}.${code}`;
  if (!cache.has(name)) {
    cache.set(name, fetch(`i18n/${name}.json`)
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
      .catch(() => {
        cache.delete(name); // try again next time (e.g. the connection was down)
        return {};
      }));
  }
  return cache.get(name);
}

/** The language this tab asked for before, else the browser's first supported one, else English. */
function initialLanguage() {
  let saved = null;
  try {
    saved = sessionStorage.getItem(STORE_KEY);
  } catch (e) { /* storage disabled */ }
  if (saved && supported.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language || '']) {
    const code = String(tag).toLowerCase().split('-')[0];
    if (supported.includes(code)) return code;
  }
  return 'en';
}

/** Loads the page's catalogue in the remembered or browser language and applies it to the page. */
export function init(bundleName, languages) {
  bundle = bundleName;
  supported = languages;
  return setLanguage(initialLanguage());
}

export const language = () => lang;
export const languages = () => supported.slice();
export const isSupported = (code) => supported.includes(code);

/** Switches the whole page to another language (remembered for this tab). */
export async function setLanguage(code) {
  const wanted = supported.includes(code) ? code : 'en';
  const mine = ++generation;
  const [chosen, en] = await Promise.all([load(wanted), wanted === 'en' ? null : load('en')]);
  if (mine !== generation) return lang; // a later choice won
  lang = wanted;
  messages = chosen;
  english = en || chosen;
  try {
    sessionStorage.setItem(STORE_KEY, lang);
  } catch (e) { /* storage disabled */ }
  const root = document.documentElement;
  root.lang = lang;
  root.dir = RTL.has(lang) ? 'rtl' : 'ltr';
  apply(document);
  root.classList.remove('i18n-loading');
  for (const fn of listeners) fn(lang);
  return lang;
}

/** Calls fn(lang) after every language switch (to redraw what scripts wrote). */
export function onLanguage(fn) {
  listeners.add(fn);
}

export function has(key) {
  return typeof messages[key] === 'string' || typeof english[key] === 'string';
}

export function t(key, params = {}) {
  let text = messages[key];
  if (typeof text !== 'string') text = english[key];
  if (typeof text !== 'string') return key;
  return format(text, params);
}

/** A known error code's text, else the server's own (English) message, else a general one. */
export function errorText(code, message) {
  const key = `error.${code}`;
  if (code && has(key)) return t(key, { message: message || '' });
  return message || t('error.generic');
}

const PLURAL = /\{(\w+), plural,((?:\s*=?\w+\s*\{[^{}]*\})+)\s*\}/g;
const BRANCH = /\s*(=?\w+)\s*\{([^{}]*)\}/g;
const PLACEHOLDER = /\{(\w+)\}/g;

function format(text, params) {
  const withPlurals = text.replace(PLURAL, (whole, name, body) => {
    const n = Number(params[name]);
    const forms = {};
    for (const m of body.matchAll(BRANCH)) forms[m[1]] = m[2];
    const form = forms[`=${n}`] ?? forms[new Intl.PluralRules(lang).select(n)] ?? forms.other ?? '';
    return form.replace(/#/g, number(n));
  });
  return withPlurals.replace(PLACEHOLDER, (whole, name) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return typeof value === 'number' ? number(value) : String(value);
  });
}

/** Sets the text and translated attributes of every marked element under root. */
export function apply(root) {
  // A key no catalogue has (e.g. a catalogue that could not be fetched) keeps the page's own English text.
  for (const node of root.querySelectorAll('[data-i18n]')) {
    if (has(node.dataset.i18n)) node.textContent = t(node.dataset.i18n);
  }
  for (const node of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key && has(key)) node.setAttribute(attr, t(key));
    }
  }
}

export function number(n) {
  return new Intl.NumberFormat(lang).format(n);
}

/** "12:04" in the reader's clock and language. */
export function time(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(d);
}

/** Date and time, short, in the reader's language. */
export function dateTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

function displayName(type, code, inLanguage) {
  try {
    return new Intl.DisplayNames([inLanguage], { type, fallback: 'code' }).of(code) || code;
  } catch (e) {
    return code;
  }
}

/** A language's name in the interface language ("und" and null: unknown). */
export function languageName(code) {
  if (!code || code === 'und' || !/^[a-z]{2,3}$/.test(code)) return t('language.unknown'); // "pending": not tagged yet
  return displayName('language', code, lang);
}

/** A language's name in that language itself, capitalised ("Français"). */
export function autonym(code) {
  if (AUTONYMS[code]) return AUTONYMS[code];
  const name = displayName('language', code, code);
  return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
}

export function countryName(code) {
  return displayName('region', code, lang);
}

/**
 * Fills a <select> with the supported languages (each in its own name) and switches the page when it
 * changes; it follows switches made elsewhere.
 */
export function languagePicker(select) {
  select.replaceChildren(...supported.map((code) => {
    const option = document.createElement('option');
    option.value = code;
    option.lang = code;
    option.textContent = autonym(code);
    return option;
  }));
  select.value = lang;
  select.addEventListener('change', () => setLanguage(select.value));
  onLanguage((code) => {
    select.value = code;
  });
}
