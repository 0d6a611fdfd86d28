// The printable report (report.html?dialogues=a,b&k=): the server's aggregates for one dialogue or several,
// each breakdown as a table and as the server's SVG chart (shown as an <img> from a data: URL, so no markup
// from the server is ever put into the page), themes per prompt, quotes grouped by theme, moderation figures
// and the anonymity rules. Text from the server goes in with textContent only. "Print / Save as PDF" uses the
// browser's print dialog; report.css has the print rules.
import { el, $, say } from './api.js';
import { t, errorText, dateTime, number, language, languageName, countryName, onLanguage } from './i18n.js';
import { consolePage } from './console.js';

const msg = $('#message');
const WITHOUT_THEME = 'Without a theme'; // the server's group for quotes without a theme
let page = null;
let report = null;

const params = new URLSearchParams(location.search);
const dialogueIds = (params.get('dialogues') || '').split(',').map((s) => s.trim()).filter(Boolean);
const k = (params.get('k') || '').trim();

function showReport(visible) {
  $('#report').hidden = !visible;
  $('#login').hidden = visible || Boolean(page && page.account());
}

async function load() {
  if (!page.account()) {
    $('#login').hidden = false;
    return;
  }
  $('#login').hidden = true;
  if (!dialogueIds.length) {
    say(msg, t('report.noDialogues'));
    return;
  }
  $('#loading').hidden = false;
  try {
    const query = `dialogues=${dialogueIds.map(encodeURIComponent).join(',')}${k ? `&k=${encodeURIComponent(k)}` : ''}`;
    report = await page.call('GET', `/api/report?${query}`);
    say(msg, '');
    render();
    showReport(true);
    $('#report-title').focus();
  } catch (err) {
    if (err.status !== 401) say(msg, errorText(err.code, err.message));
  } finally {
    $('#loading').hidden = true;
  }
}

// ---- pieces -------------------------------------------------------------------------------------

/** A count, or the report's "fewer than k" for a suppressed (null) cell. */
function suppressedText() {
  return language() === 'en' ? report.suppressedLabel : t('report.fewerThan', { k: report.minimumCellSize });
}

function countCell(value) {
  if (value === null || value === undefined) {
    return el('td', { class: 'num suppressed', dataset: { suppressed: 'true' }, text: suppressedText() });
  }
  return el('td', { class: 'num', text: number(value) });
}

function percent(share) {
  if (share === null || share === undefined) return '–';
  return new Intl.NumberFormat(language(), { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

function section(id, title, ...children) {
  return el('section', { class: 'report-section', id, 'aria-labelledby': `${id}-heading`, dataset: { section: id } },
    el('h2', { id: `${id}-heading`, text: title }), ...children);
}

/** A table: columns [{label, num}], rows of cells (strings or <td>s); the caption is for screen readers unless shown. */
function table(caption, columns, rows, testid, showCaption = false) {
  return el('table', { class: 'data', 'data-testid': testid },
    el('caption', { class: showCaption ? '' : 'visually-hidden', text: caption }),
    el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : '', text: c.label })))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c, i) => {
      if (c instanceof Node) return c;
      return i === 0 ? el('th', { scope: 'row', dir: 'auto', text: c }) : el('td', { text: c });
    })))));
}

/** The server's SVG chart as an image: a data: URL, so its markup never becomes part of this page. */
function chart(svg, alt, name) {
  if (!svg) return null;
  return el('figure', { class: 'chart' }, el('img', {
    src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt, 'data-testid': `chart-${name}`, dataset: { chart: name },
  }));
}

function cellLabel(kind, cell) {
  const key = String(cell.key || '');
  if (kind === 'countries') {
    if (key.startsWith('other:')) return t('report.otherCountries', { region: key.slice(6) });
    return /^[A-Z]{2}$/.test(key) ? countryName(key) : cell.label;
  }
  if (kind === 'languages') return /^[a-z]{2,3}$/.test(key) && key !== 'und' ? languageName(key) : t('language.unknown');
  return cell.label || key;
}

function breakdown(kind, cells) {
  const title = t(`report.by.${kind}`);
  // Breakdowns of contributions carry both counts; those of who joined only children (a suppressed cell has a null for both).
  const withContributions = cells.some((c) => c.children !== null && c.contributions !== undefined && c.contributions !== null);
  const columns = [{ label: t(`report.col.${kind}`) }, { label: t('report.col.children'), num: true }];
  if (withContributions) columns.push({ label: t('report.col.contributions'), num: true });
  const rows = cells.map((c) => {
    const row = [cellLabel(kind, c), countCell(c.children)];
    if (withContributions) row.push(countCell(c.contributions));
    return row;
  });
  return el('div', { class: 'breakdown', dataset: { breakdown: kind } },
    el('h3', { text: title }),
    chart(report.charts && report.charts[kind], t('report.chartAlt', { title }), kind),
    cells.length ? table(title, columns, rows, `table-${kind}`) : el('p', { class: 'muted', text: t('report.none') }));
}

function totals() {
  const tot = report.totals || {};
  const items = ['children', 'childrenWhoContributed', 'countries', 'regions', 'languages', 'contributions'];
  return section('totals', t('report.totals'), el('dl', { class: 'totals' }, ...items.map((key) => el('div', { dataset: { total: key } },
    el('dt', { text: t(`report.total.${key}`) }), el('dd', { text: number(tot[key] || 0) })))));
}

function participation() {
  const p = report.participation || {};
  return section('participation', t('report.participation'),
    el('div', { class: 'breakdowns' }, ...['regions', 'countries', 'ageBands', 'languages'].map((kind) => breakdown(kind, p[kind] || []))));
}

function promptName(p, many) {
  return `${many && p.dialogue ? `${p.dialogue} · ` : ''}${p.position}. ${p.text}`;
}

function prompts() {
  const list = report.prompts || [];
  const many = (report.dialogues || []).length > 1;
  const title = t('report.perPrompt');
  const perPrompt = table(title, [{ label: t('report.col.prompt') }, { label: t('report.col.contributions'), num: true },
    { label: t('report.col.children'), num: true }], list.map((p) => [promptName(p, many), countCell(p.contributions), countCell(p.children)]),
  'table-prompts', true);
  const themes = list.map((p) => el('div', { class: 'prompt-themes', dataset: { promptId: p.promptId } },
    el('h3', { dir: 'auto', text: promptName(p, many) }),
    (p.themes || []).length
      ? table(t('report.themesOf', { position: p.position }), [{ label: t('report.col.theme') }, { label: t('report.col.contributions'), num: true },
        { label: t('report.col.children'), num: true }], p.themes.map((th) => [th.theme, countCell(th.contributions), countCell(th.children)]),
      'table-themes')
      : el('p', { class: 'muted', text: t('report.noThemes') })));
  return section('prompts', t('report.prompts'),
    chart(report.charts && report.charts.prompts, t('report.chartAlt', { title }), 'prompts'), perPrompt,
    el('h3', { text: t('report.themesPerPrompt') }), ...themes);
}

/** "Child, 12-14, Africa" with "Child" in the page's language. */
function attribution(text) {
  const parts = String(text || '').split(', ');
  if (parts[0] === 'Child') parts[0] = t('report.child');
  return parts.join(', ');
}

const langAttr = (code) => (code && /^[a-z]{2,3}$/.test(code) && code !== 'und' ? code : null);

function quote(q) {
  const original = el('div', { class: 'original' },
    q.rendering ? el('p', { class: 'quote-label', text: t('report.original') }) : null,
    el('blockquote', { lang: langAttr(q.language), dir: 'auto', 'data-testid': 'quote-text', text: q.text }));
  const rendering = q.rendering ? el('div', { class: 'rendering' },
    el('p', { class: 'quote-label', text: t('report.rendering', { language: languageName(q.renderingLanguage || 'en') }) }),
    el('blockquote', { lang: langAttr(q.renderingLanguage) || 'en', dir: 'auto', 'data-testid': 'quote-rendering', text: q.rendering })) : null;
  return el('figure', { class: 'quote', dataset: { contributionId: q.contributionId } },
    el('div', { class: `texts${rendering ? ' two' : ''}` }, original, rendering),
    el('figcaption', { 'data-testid': 'quote-attribution', text: `— ${attribution(q.attribution)}` }));
}

function quotes() {
  const groups = report.quotes || [];
  return section('quotes', t('report.quotes'),
    groups.length ? null : el('p', { class: 'muted', text: t('report.noQuotes') }),
    ...groups.map((g) => el('div', { class: 'quote-group', dataset: { theme: g.theme } },
      el('h3', { dir: 'auto', text: g.theme === WITHOUT_THEME ? t('report.withoutTheme') : g.theme }),
      ...(g.quotes || []).map(quote))));
}

function moderation() {
  const m = report.moderation || {};
  const row = (key, value, share) => [t(`report.mod.${key}`), el('td', { class: 'num', dataset: { moderation: key }, text: number(value || 0) }),
    el('td', { class: 'num', text: share === undefined ? '' : percent(share) })];
  return section('moderation', t('report.moderation'),
    table(t('report.moderation'), [{ label: t('report.col.figure') }, { label: t('report.col.count'), num: true }, { label: t('report.col.share'), num: true }], [
      row('contributions', m.contributions),
      row('published', m.published, m.sharePublished),
      row('heldByFilter', m.heldByFilter, m.shareHeld),
      row('removed', (m.removed || 0) + (m.rejected || 0), m.shareRemoved),
      row('pending', m.pending),
      row('withheld', m.withheldForSafeguarding),
      row('alerts', m.safeguardingAlerts),
    ], 'table-moderation'),
    el('p', { class: 'muted', text: t('report.mod.note') }));
}

function note() {
  return section('method', t('report.method'), el('ul', {},
    el('li', { text: t('report.method.k', { k: report.minimumCellSize }) }),
    el('li', { text: t('report.method.countries', { k: report.minimumCellSize }) }),
    el('li', { text: t('report.method.regions') }),
    el('li', { text: t('report.method.quotes') }),
    el('li', { text: t('report.method.approved') })));
}

function render() {
  if (!report) return;
  const titles = (report.dialogues || []).map((d) => d.title).join(' · ');
  $('#report-title').textContent = titles;
  document.title = `${titles} – ${t('report.pageTitle')}`;
  $('#report-generated').textContent = t('report.generated', { date: dateTime(report.generatedAt), n: (report.dialogues || []).length });
  $('#report-empty').hidden = !report.empty;
  $('#report-empty').textContent = report.empty ? t('report.empty') : '';
  $('#report').dataset.empty = String(Boolean(report.empty));
  const parts = report.empty ? [totals(), moderation(), note()] : [totals(), participation(), prompts(), quotes(), moderation(), note()];
  $('#report-body').replaceChildren(...parts);
}

$('#print').addEventListener('click', () => window.print());

onLanguage(() => render());

page = await consolePage({
  onSignIn: () => load(),
  onSignOut: () => {
    report = null;
    showReport(false);
    $('#login').hidden = false;
  },
});
load();
