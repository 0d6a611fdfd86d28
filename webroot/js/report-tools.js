// The staff page's report tools: which dialogues a report covers, the printable report (a new tab) and the
// CSV / JSON downloads, the theme list, a filtered list of approved contributions to tag (one by one or all
// shown at once) and to mark as quotes (with an optional rendering), and the suggested themes per prompt.
// Loaded only by staff.html. Server text goes in with textContent only (el()).
import { el, $, say, ApiError } from './api.js';
import { t, errorText, dateTime, languageName, onLanguage } from './i18n.js';
import { run } from './console.js';

const PAGE_SIZE = 50;

export function reportTools(page) {
  const status = $('#rep-status');
  let dialogues = [];
  const chosen = new Set(); // dialogue ids in the report
  const details = new Map(); // dialogue id → the dialogue with its prompts
  let themes = [];
  let items = []; // the contributions shown, newest first
  let more = false;
  const selected = new Set(); // contribution ids ticked
  let themeForm = null; // {id, kind: 'rename' | 'delete', name}
  let quoteForm = null; // {id, rendering, language}
  let suggestions = null;

  const ids = () => dialogues.filter((d) => chosen.has(d.id)).map((d) => d.id);
  function query() {
    const k = $('#rep-k').value.trim();
    return `dialogues=${ids().map(encodeURIComponent).join(',')}${k ? `&k=${encodeURIComponent(k)}` : ''}`;
  }
  const note = (text) => say(status, text, 'info');

  // ---- dialogues and the report itself ----------------------------------------------------------

  function setDialogues(list) {
    dialogues = list.slice();
    for (const id of [...chosen]) if (!dialogues.some((d) => d.id === id)) chosen.delete(id);
    renderDialogues();
  }

  function renderDialogues() {
    $('#rep-dialogues').replaceChildren(...dialogues.map((d) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', value: d.id, checked: chosen.has(d.id), dataset: { dialogueId: d.id } }),
      el('span', {}, el('bdi', { text: d.title }), el('span', { class: 'muted', text: ` · ${t(`status.${d.status}`)}` })))));
    if (!dialogues.length) $('#rep-dialogues').append(el('p', { class: 'muted', text: t('staff.noDialogues') }));
    const none = chosen.size === 0;
    for (const id of ['#rep-open', '#rep-csv', '#rep-json', '#sugg-load', '#browse-show']) $(id).disabled = none;
    $('#browse-form').hidden = none;
    $('#bulk').hidden = none;
  }

  $('#rep-dialogues').addEventListener('change', (event) => {
    const box = event.target.closest('input[type="checkbox"]');
    if (!box) return;
    if (box.checked) chosen.add(box.value);
    else chosen.delete(box.value);
    renderDialogues();
    suggestions = null;
    renderSuggestions();
    run(null, async () => {
      await loadDetails();
      renderFilters();
      await browse(false);
    });
  });

  async function loadDetails() {
    await Promise.all(ids().filter((id) => !details.has(id)).map(async (id) => {
      details.set(id, await page.call('GET', `/api/dialogues/${encodeURIComponent(id)}`));
    }));
  }

  // Keeps the opener, so the new tab starts with this tab's sign-in (sessionStorage is copied).
  $('#rep-open').addEventListener('click', () => {
    if (ids().length) window.open(`report.html?${query()}`, '_blank');
  });

  /** "attachment; filename="chorus-report-….csv"" → the name. */
  function fileName(header, fallback) {
    const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header || '');
    return m ? decodeURIComponent(m[1]) : fallback;
  }

  async function download(format, button) {
    await run(button, async () => {
      note(t('rep.downloading'));
      const account = page.account();
      let res;
      try {
        res = await fetch(`/api/report/export.${format}?${query()}`, { headers: { Authorization: `Bearer ${account && account.token}` } });
      } catch (e) {
        throw new ApiError(0, 'network', 'the server could not be reached');
      }
      if (!res.ok) {
        let data = null;
        try {
          data = await res.json();
        } catch (e) { /* not JSON */ }
        const err = (data && data.error) || {};
        if (res.status === 401) page.signOut(t('signin.expired'));
        note('');
        throw new ApiError(res.status, err.code || 'error', err.message || `Request failed (${res.status})`);
      }
      const blob = await res.blob();
      const name = fileName(res.headers.get('Content-Disposition'), `chorus-report.${format}`);
      const url = URL.createObjectURL(blob);
      const link = el('a', { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      note(t('rep.downloaded', { name }));
    });
  }

  $('#rep-csv').addEventListener('click', (event) => download('csv', event.currentTarget));
  $('#rep-json').addEventListener('click', (event) => download('json', event.currentTarget));

  // ---- themes --------------------------------------------------------------------------------------

  async function loadThemes() {
    themes = ((await page.call('GET', '/api/themes')).themes || []).sort((a, b) => a.name.localeCompare(b.name));
    renderThemes();
    renderFilters();
  }

  function renderThemes() {
    $('#themes').replaceChildren(...themes.map((th) => {
      const form = themeForm && themeForm.id === th.id ? themeForm : null;
      const li = el('li', { class: 'item', dataset: { themeId: th.id } });
      if (form && form.kind === 'rename') {
        li.append(el('form', { class: 'row nowrap-row', dataset: { role: 'rename' } },
          el('label', { class: 'visually-hidden', for: `theme-rename-${th.id}`, text: t('rep.renameLabel', { name: th.name }) }),
          el('input', { id: `theme-rename-${th.id}`, value: form.name, maxlength: 80, dir: 'auto', required: true, dataset: { field: 'name' } }),
          el('button', { type: 'submit', class: 'small', text: t('rep.save') }),
          el('button', { type: 'button', class: 'secondary small', dataset: { action: 'cancel' }, text: t('form.cancel') })));
        return li;
      }
      li.append(el('div', { class: 'row spread' },
        el('span', {}, el('strong', {}, el('bdi', { text: th.name })), el('span', { class: 'muted', text: ` · ${t('rep.tagged', { n: th.tagged || 0 })}` })),
        el('span', { class: 'row' },
          el('button', { type: 'button', class: 'secondary small', dataset: { action: 'rename' }, text: t('rep.rename') }),
          el('button', { type: 'button', class: 'danger small', dataset: { action: 'delete' }, text: t('rep.delete') }))));
      if (form && form.kind === 'delete') {
        li.append(el('div', { class: 'notice' }, el('p', { text: t('rep.deleteQuestion', { name: th.name, n: th.tagged || 0 }) }),
          el('div', { class: 'row' },
            el('button', { type: 'button', class: 'danger small', dataset: { action: 'delete-now' }, text: t('rep.delete') }),
            el('button', { type: 'button', class: 'secondary small', dataset: { action: 'cancel' }, text: t('form.cancel') }))));
      }
      return li;
    }));
    if (!themes.length) $('#themes').append(el('li', { class: 'empty', text: t('rep.noThemes') }));
  }

  async function createTheme(name) {
    const created = await page.call('POST', '/api/themes', { name });
    await loadThemes();
    $('#bulk-theme').value = String(created.id);
    note(t('rep.themeCreated', { name: created.name }));
    return created;
  }

  $('#theme-form').addEventListener('submit', (event) => {
    event.preventDefault();
    run($('#theme-add'), async () => {
      const name = $('#theme-name').value.trim();
      if (!name) return;
      await createTheme(name);
      $('#theme-name').value = '';
    });
  });

  $('#themes').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const id = Number(button.closest('li').dataset.themeId);
    const theme = themes.find((th) => th.id === id);
    const action = button.dataset.action;
    if (action === 'rename' || action === 'delete') {
      themeForm = { id, kind: action, name: theme ? theme.name : '' };
      renderThemes();
      const target = $(`#themes li[data-theme-id="${id}"] ${action === 'rename' ? 'input' : '[data-action="delete-now"]'}`);
      if (target) target.focus();
    } else if (action === 'cancel') {
      themeForm = null;
      renderThemes();
      const back = $(`#themes li[data-theme-id="${id}"] [data-action="rename"]`);
      if (back) back.focus();
    } else if (action === 'delete-now') {
      run(button, async () => {
        await page.call('DELETE', `/api/themes/${id}`);
        themeForm = null;
        note(t('rep.themeDeleted', { name: theme ? theme.name : '' }));
        await loadThemes();
        await browse(false);
      });
    }
  });

  $('#themes').addEventListener('submit', (event) => {
    event.preventDefault();
    const li = event.target.closest('li');
    const id = Number(li.dataset.themeId);
    const name = li.querySelector('input[data-field="name"]').value.trim();
    run(event.target.querySelector('button[type="submit"]'), async () => {
      await page.call('PUT', `/api/themes/${id}`, { name });
      themeForm = null;
      note(t('rep.themeRenamed', { name }));
      await loadThemes();
      await browse(false);
    });
  });

  $('#themes').addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && themeForm) {
      const id = themeForm.id;
      themeForm = null;
      renderThemes();
      const back = $(`#themes li[data-theme-id="${id}"] [data-action="rename"]`);
      if (back) back.focus();
    }
  });

  // ---- the filtered list of approved contributions -------------------------------------------------

  function prompts() {
    const out = [];
    for (const id of ids()) {
      const d = details.get(id);
      if (!d) continue;
      for (const p of (d.prompts || []).slice().sort((a, b) => a.position - b.position)) out.push({ ...p, dialogue: d.title });
    }
    return out;
  }

  function promptName(p, many) {
    return `${many ? `${p.dialogue} · ` : ''}${p.position}. ${p.text}`;
  }

  function fill(select, options) {
    const value = select.value;
    select.replaceChildren(...options.map(([v, label]) => el('option', { value: v, text: label })));
    if (options.some(([v]) => v === value)) select.value = value;
  }

  function renderFilters() {
    const many = ids().length > 1;
    fill($('#browse-prompt'), [['', t('rep.filter.allPrompts')], ...prompts().map((p) => [String(p.id), promptName(p, many)])]);
    const languages = [...new Set(ids().flatMap((id) => (details.get(id) || {}).languages || []))].sort();
    fill($('#browse-language'), [['', t('rep.filter.allLanguages')], ...languages.map((l) => [l, languageName(l)])]);
    fill($('#browse-theme'), [['', t('rep.filter.anyTheme')], ['none', t('rep.filter.untagged')], ...themes.map((th) => [String(th.id), th.name])]);
    fill($('#bulk-theme'), themes.map((th) => [String(th.id), th.name]));
    $('#bulk-tag').disabled = !themes.length;
    $('#bulk-untag').disabled = !themes.length;
  }

  function filters() {
    const q = new URLSearchParams();
    q.set('dialogues', ids().join(','));
    for (const [name, id] of [['prompt', '#browse-prompt'], ['language', '#browse-language'], ['theme', '#browse-theme'], ['text', '#browse-text']]) {
      const v = $(id).value.trim();
      if (v) q.set(name, v);
    }
    q.set('limit', String(PAGE_SIZE));
    return q;
  }

  /** Loads the list again (or, with more = true, the next page after the oldest one shown). */
  async function browse(next) {
    if (!ids().length) {
      items = [];
      selected.clear();
      renderList();
      return;
    }
    const q = filters();
    if (next && items.length) q.set('before', String(items[items.length - 1].id));
    const res = await page.call('GET', `/api/report/contributions?${q}`);
    const page1 = res.contributions || [];
    if (next) items = items.concat(page1);
    else {
      items = page1;
      selected.clear();
      quoteForm = null;
    }
    more = page1.length >= PAGE_SIZE;
    renderList();
  }

  $('#browse-form').addEventListener('submit', (event) => {
    event.preventDefault();
    run($('#browse-show'), () => browse(false));
  });
  $('#browse-more').addEventListener('click', (event) => run(event.currentTarget, () => browse(true)));

  function promptLabel(promptId) {
    const p = prompts().find((x) => x.id === promptId);
    return p ? t('rep.promptShort', { position: p.position }) : '';
  }

  function renderItem(c) {
    const form = quoteForm && quoteForm.id === c.id ? quoteForm : null;
    const lang = c.language && /^[a-z]{2,3}$/.test(c.language) && c.language !== 'und' ? c.language : null;
    const meta = [promptLabel(c.promptId), c.language ? languageName(c.language) : '', c.ageBand || '', c.region || '', dateTime(c.createdAt)]
      .filter(Boolean).join(' · ');
    const themesLine = el('p', { class: 'row', dataset: { role: 'themes' } },
      ...(c.themes || []).map((th) => el('span', { class: 'chip', dataset: { theme: th.name } }, el('bdi', { text: th.name }),
        el('button', { type: 'button', dataset: { action: 'untag-one', themeId: th.id }, 'aria-label': t('rep.untagOne', { theme: th.name }), text: '×' }))),
      c.quote ? el('span', { class: 'chip quote-chip', 'data-testid': 'quote-mark', text: t('rep.isQuote') }) : null);
    let quoteArea;
    if (form) {
      quoteArea = el('form', { class: 'inline-form', dataset: { role: 'quote' } },
        el('label', { for: `rendering-${c.id}`, text: t('rep.rendering') }),
        el('textarea', { id: `rendering-${c.id}`, rows: 2, maxlength: 2000, dir: 'auto', dataset: { field: 'rendering' } }),
        el('label', { for: `rendering-lang-${c.id}`, text: t('rep.renderingLanguage') }),
        el('input', { id: `rendering-lang-${c.id}`, maxlength: 3, dir: 'ltr', class: 'narrow', value: form.language, dataset: { field: 'language' } }),
        el('div', { class: 'row' },
          el('button', { type: 'submit', class: 'small', dataset: { action: 'quote-save' }, text: t('rep.quoteSave') }),
          el('button', { type: 'button', class: 'secondary small', dataset: { action: 'quote-cancel' }, text: t('form.cancel') })));
      quoteArea.querySelector('textarea').value = form.rendering;
    } else {
      quoteArea = el('div', {},
        c.quote && c.quote.rendering ? el('p', { class: 'rendering-text', dir: 'auto', lang: c.quote.renderingLanguage || 'en', 'data-testid': 'rendering', text: c.quote.rendering }) : null,
        el('div', { class: 'row' }, ...(c.quote
          ? [el('button', { type: 'button', class: 'secondary small', dataset: { action: 'quote' }, text: t('rep.quoteEdit') }),
            el('button', { type: 'button', class: 'secondary small', dataset: { action: 'unquote' }, text: t('rep.unquote') })]
          : [el('button', { type: 'button', class: 'secondary small', dataset: { action: 'quote' }, text: t('rep.quote') })])));
    }
    return el('li', { class: 'item', dataset: { key: `r-${c.id}`, contributionId: c.id } },
      el('div', { class: 'pick-row' },
        el('input', { type: 'checkbox', id: `pick-${c.id}`, checked: selected.has(c.id), dataset: { role: 'pick' }, 'aria-label': t('rep.select', { id: c.id }) }),
        el('div', { class: 'grow' },
          el('p', { class: 'meta', text: `#${c.id} · ${meta}` }),
          el('p', { class: 'text', dir: 'auto', lang, text: c.text }),
          themesLine,
          quoteArea)));
  }

  function renderList() {
    $('#browse').replaceChildren(...items.map(renderItem));
    if (!items.length && ids().length) $('#browse').append(el('li', { class: 'empty', text: t('rep.noContributions') }));
    $('#browse-more').hidden = !more;
    renderSelection();
  }

  function renderSelection() {
    const shown = items.filter((c) => selected.has(c.id)).length;
    $('#selected-count').textContent = t('rep.selected', { n: shown, total: items.length });
    const all = $('#select-all');
    all.checked = items.length > 0 && shown === items.length;
    all.indeterminate = shown > 0 && shown < items.length;
    all.disabled = !items.length;
  }

  $('#select-all').addEventListener('change', () => {
    if ($('#select-all').checked) for (const c of items) selected.add(c.id);
    else selected.clear();
    for (const box of document.querySelectorAll('#browse input[data-role="pick"]')) {
      box.checked = selected.has(Number(box.closest('li').dataset.contributionId));
    }
    renderSelection();
  });

  async function tag(themeId, contributionIds, action) {
    const res = await page.call('POST', `/api/themes/${themeId}/contributions`, { contributionIds, action });
    const theme = (themes.find((th) => th.id === Number(themeId)) || {}).name || '';
    note(action === 'add'
      ? t('rep.taggedResult', { n: res.tagged || 0, theme, already: res.alreadyTagged || 0, refused: res.notTaggable || 0 })
      : t('rep.untaggedResult', { n: res.untagged || 0, theme }));
    await loadThemes();
    await browse(false);
  }

  for (const [id, action] of [['#bulk-tag', 'add'], ['#bulk-untag', 'remove']]) {
    $(id).addEventListener('click', (event) => {
      const picked = items.filter((c) => selected.has(c.id)).map((c) => c.id);
      if (!picked.length) {
        note(t('rep.selectFirst'));
        return;
      }
      const themeId = $('#bulk-theme').value;
      if (!themeId) return;
      run(event.currentTarget, () => tag(themeId, picked, action));
    });
  }

  $('#browse').addEventListener('change', (event) => {
    const box = event.target.closest('input[data-role="pick"]');
    if (!box) return;
    const id = Number(box.closest('li').dataset.contributionId);
    if (box.checked) selected.add(id);
    else selected.delete(id);
    renderSelection();
  });

  function focusIn(id, selector) {
    const node = $(`#browse li[data-contribution-id="${id}"] ${selector}`);
    if (node) node.focus();
  }

  $('#browse').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const id = Number(button.closest('li').dataset.contributionId);
    const c = items.find((x) => x.id === id);
    switch (button.dataset.action) {
      case 'untag-one':
        run(button, () => tag(button.dataset.themeId, [id], 'remove'));
        break;
      case 'quote':
        quoteForm = { id, rendering: (c && c.quote && c.quote.rendering) || '', language: (c && c.quote && c.quote.renderingLanguage) || 'en' };
        renderList();
        focusIn(id, 'textarea');
        break;
      case 'quote-cancel':
        quoteForm = null;
        renderList();
        focusIn(id, '[data-action="quote"]');
        break;
      case 'unquote':
        run(button, async () => {
          await page.call('DELETE', `/api/contributions/${id}/quote`);
          note(t('rep.unquoted', { id }));
          await browse(false);
        });
        break;
      default:
    }
  });

  $('#browse').addEventListener('input', (event) => {
    const field = event.target.closest('[data-field]');
    if (field && quoteForm) quoteForm[field.dataset.field] = field.value;
  });

  $('#browse').addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !quoteForm) return;
    const id = quoteForm.id;
    quoteForm = null;
    renderList();
    focusIn(id, '[data-action="quote"]');
  });

  $('#browse').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!quoteForm) return;
    const { id } = quoteForm;
    const rendering = quoteForm.rendering.trim();
    const lang = quoteForm.language.trim().toLowerCase();
    run(event.target.querySelector('button[type="submit"]'), async () => {
      const body = rendering ? { rendering, renderingLanguage: lang || 'en' } : {};
      await page.call('PUT', `/api/contributions/${id}/quote`, body);
      quoteForm = null;
      note(t('rep.quoted', { id }));
      await browse(false);
      focusIn(id, '[data-action="quote"]');
    });
  });

  // ---- suggested themes ------------------------------------------------------------------------------

  function renderSuggestions() {
    const box = $('#suggestions');
    if (!suggestions) {
      box.replaceChildren();
      return;
    }
    const many = ids().length > 1;
    const groups = (suggestions.prompts || []).filter((p) => (p.languages || []).some((l) => (l.words || []).length || (l.phrases || []).length));
    if (!groups.length) {
      box.replaceChildren(el('p', { class: 'muted', text: t('rep.noSuggestions') }));
      return;
    }
    const dialogueTitle = (id) => (dialogues.find((d) => d.id === id) || {}).title || '';
    const termButtons = (term, language) => el('span', { class: 'term', dataset: { term: term.term } },
      el('button', { type: 'button', class: 'secondary', lang: language, dataset: { action: 'filter', term: term.term }, title: t('rep.filterBy', { term: term.term }) },
        `${term.term} (${term.contributions})`),
      el('button', {
        type: 'button', class: 'secondary', dataset: { action: 'make-theme', term: term.term }, 'aria-label': t('rep.makeTheme', { term: term.term }), title: t('rep.makeTheme', { term: term.term }), text: '+',
      }));
    const perLanguage = (l) => el('div', { dataset: { language: l.language } },
      el('p', { class: 'meta', text: t('rep.suggestionsFor', { language: languageName(l.language), n: l.contributions || 0 }) }),
      el('div', { class: 'terms' }, ...[...(l.words || []), ...(l.phrases || [])].map((term) => termButtons(term, l.language))));
    box.replaceChildren(...groups.map((p) => el('div', { class: 'suggestion', dataset: { promptId: p.promptId } },
      el('h4', { dir: 'auto', text: promptName({ ...p, dialogue: dialogueTitle(p.dialogueId) }, many) }),
      ...(p.languages || []).map(perLanguage))));
  }

  $('#sugg-load').addEventListener('click', (event) => run(event.currentTarget, async () => {
    suggestions = await page.call('GET', `/api/report/suggestions?dialogues=${ids().map(encodeURIComponent).join(',')}`);
    renderSuggestions();
  }));

  $('#suggestions').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const { term } = button.dataset;
    if (button.dataset.action === 'filter') {
      $('#browse-text').value = term;
      run(button, async () => {
        await browse(false);
        note(t('rep.filteredBy', { term }));
      });
    } else {
      run(button, () => createTheme(term));
    }
  });

  // ---- everything again in another language -----------------------------------------------------------

  function render() {
    renderDialogues();
    renderThemes();
    renderFilters();
    renderList();
    renderSuggestions();
  }
  onLanguage(() => {
    if (page.account()) render();
  });

  return {
    setDialogues,
    async start() {
      render();
      await loadThemes();
    },
  };
}
