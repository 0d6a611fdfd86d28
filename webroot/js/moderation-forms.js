// The facilitator's inline forms (edit before approving, reject or remove with a reason, pause or remove
// a child). Each is a real <form> inside the item: Enter sends, Escape cancels, every field has a label.
import { el } from './api.js';
import { t } from './i18n.js';

/**
 * Reasons picked from a list are sent as these codes; the child's page shows kind words for each in the
 * child's own language (catalogue keys reason.<code>). "other" sends the facilitator's own words.
 */
export const REASONS = ['off_topic', 'personal_info', 'unkind', 'repeated', 'unsafe'];
const MUTE_MINUTES = [5, 10, 30, 60, 1440];

function field(id, labelText, control) {
  control.id = id;
  return [el('label', { for: id, text: labelText }), control];
}

function buttons(submitLabel, submitClass) {
  return el('div', { class: 'row' },
    el('button', { type: 'submit', class: submitClass, dataset: { action: 'submit' }, text: submitLabel }),
    el('button', { type: 'button', class: 'secondary', dataset: { action: 'cancel' }, text: t('form.cancel') }));
}

function reasonFields(state, key, reasons) {
  const select = el('select', { dataset: { field: 'reason' } },
    el('option', { value: '', text: t('form.reasonNone') }),
    ...reasons.map((code) => el('option', { value: code, text: t(`form.reason.${code}`) })),
    el('option', { value: 'other', text: t('form.reasonOther') }));
  select.value = state.reason || '';
  const parts = [...field(`${key}-reason`, t('form.reason'), select)];
  if (state.reason === 'other') {
    parts.push(...field(`${key}-text`, t('form.reasonText'),
      el('input', { maxlength: 500, dir: 'auto', dataset: { field: 'text' }, value: state.text || '' })));
  }
  parts.push(el('p', { class: 'muted', text: t('form.reasonHint') }));
  return parts;
}

export function formFor(state, key, { reasons }) {
  const form = el('form', { class: 'inline-form', dataset: { kind: state.kind }, novalidate: true });
  switch (state.kind) {
    case 'edit': {
      const area = el('textarea', { rows: 4, maxlength: 1000, dir: 'auto', dataset: { field: 'text' } });
      area.value = state.text || '';
      form.append(...field(`${key}-edit`, t('form.editLabel'), area), buttons(t('form.editSubmit'), ''));
      break;
    }
    case 'reject':
      form.append(...reasonFields(state, key, reasons), buttons(t('form.rejectSubmit'), 'danger'));
      break;
    case 'remove':
      form.append(...reasonFields(state, key, reasons), buttons(t('form.removeSubmit'), 'danger'));
      break;
    case 'mute': {
      const select = el('select', { dataset: { field: 'minutes' } },
        ...MUTE_MINUTES.map((m) => el('option', { value: m, text: t('form.minutes', { n: m }) })));
      select.value = String(state.minutes || 10);
      form.append(...field(`${key}-minutes`, t('form.muteLabel', { nickname: state.nickname || '' }), select),
        el('p', { class: 'muted', text: t('form.muteHint') }), buttons(t('form.muteSubmit'), ''));
      break;
    }
    case 'kick':
      form.append(el('p', { text: t('form.kickQuestion', { nickname: state.nickname || '' }) }),
        ...field(`${key}-kick`, t('form.kickReason'), el('input', { maxlength: 500, dir: 'auto', dataset: { field: 'text' }, value: state.text || '' })),
        buttons(t('form.kickSubmit'), 'danger'));
      break;
    default:
  }
  return form;
}
