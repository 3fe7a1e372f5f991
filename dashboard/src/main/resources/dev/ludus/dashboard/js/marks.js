// Run management in the views (issue 14 §2): a star toggle, tag chips, inline notes and rename, archive, and
// delete with a confirmation, for a run or a sweep. Every change is one PATCH/DELETE; the view re-renders from
// the record the server returns, so what is shown is what was stored.
import { api } from './api.js';
import { h } from './ui.js';

const path = (kind, id) => `/${kind === 'sweep' ? 'sweeps' : 'runs'}/${id}`;

/** Read-only tag chips; with onPick, a chip is a button (e.g. to filter on tag:NAME). */
export function tagChips(tags, onPick) {
  return h('span', { class: 'tag-chips' }, (tags || []).map((t) => (onPick
    ? h('button', { type: 'button', class: 'tag-chip', title: `Show tag:${t}`, onclick: () => onPick(t) }, t)
    : h('span', { class: 'tag-chip' }, t))));
}

/** A star toggle for a run or sweep row: stores the change, then calls onChange with the stored record. */
export function starButton(kind, record, onChange, onError) {
  const label = () => (record.starred ? `Unstar ${kind} ${record.id}` : `Star ${kind} ${record.id}`);
  const button = h('button', {
    type: 'button', class: `star-toggle${record.starred ? ' on' : ''}`, 'aria-pressed': String(!!record.starred),
    'aria-label': label(), title: label(),
    onclick: async (e) => {
      e.stopPropagation();
      button.disabled = true;
      try {
        const stored = await api(path(kind, record.id), { method: 'PATCH', body: { starred: !record.starred } });
        onChange(stored);
      } catch (err) {
        button.disabled = false;
        if (onError) onError(err);
      }
    },
  }, record.starred ? '★' : '☆');
  return button;
}

/**
 * The management bar of a run or sweep page: star, rename, archive, delete (asks first), tags (add, remove) and
 * notes (edited in place). onChange(record) after each stored change; onDeleted(result) after a delete.
 */
export function marksBar(kind, record, { onChange, onDeleted, extra = [] }) {
  const box = h('div', { class: 'marks', id: `${kind}-marks` });
  const error = h('div', { class: 'field-error marks-error', role: 'alert', hidden: true });
  const confirmBox = h('div', { class: 'confirm-delete state', role: 'alertdialog', hidden: true });
  const renameBox = h('form', { class: 'rename-form', hidden: true });
  const notesBox = h('div', { class: 'notes' });

  async function change(body) {
    error.hidden = true;
    try {
      const stored = await api(path(kind, record.id), { method: 'PATCH', body });
      onChange(stored);
      return true;
    } catch (e) {
      error.hidden = false;
      error.textContent = `Not saved: ${e.describe()}`;
      return false;
    }
  }

  // rename, in place
  const nameInput = h('input', { type: 'text', class: 'rename-input', value: record.name || '', 'aria-label': `New ${kind} name`, maxlength: kind === 'sweep' ? 200 : 400 });
  renameBox.append(nameInput, h('button', { type: 'submit', class: 'primary' }, 'Save name'),
    h('button', { type: 'button', onclick: () => { renameBox.hidden = true; } }, 'Cancel'));
  renameBox.addEventListener('submit', (e) => { e.preventDefault(); change({ name: nameInput.value.trim() }); });

  // delete, after a confirmation that says what goes
  const what = kind === 'sweep' ? `sweep ${record.id} “${record.name}” with all its runs, their metrics and artifacts` : `run ${record.id} “${record.name}” with its metrics and artifacts`;
  confirmBox.append(h('span', {}, `Delete ${what}? This cannot be undone. `),
    h('button', {
      type: 'button', class: 'confirm-yes danger',
      onclick: async () => {
        try {
          const result = await api(path(kind, record.id), { method: 'DELETE' });
          onDeleted(result);
        } catch (e) {
          confirmBox.hidden = true;
          error.hidden = false;
          error.textContent = `Not deleted: ${e.describe()}`;
        }
      },
    }, 'Delete for good'),
    h('button', { type: 'button', class: 'confirm-no', onclick: () => { confirmBox.hidden = true; } }, 'Keep it'));

  const actions = h('div', { class: 'marks-actions' },
    starButton(kind, record, onChange, (e) => { error.hidden = false; error.textContent = `Not saved: ${e.describe()}`; }),
    h('button', { type: 'button', class: 'rename-button', onclick: () => { renameBox.hidden = false; nameInput.focus(); nameInput.select(); } }, 'Rename'),
    h('button', { type: 'button', class: 'archive-toggle', onclick: () => change({ archived: !record.archived }) },
      record.archived ? 'Unarchive' : 'Archive'),
    ...extra,
    h('button', { type: 'button', class: 'delete-button danger', onclick: () => { confirmBox.hidden = false; } }, 'Delete'));

  // tags: chips with a remove button, and an input to add one
  const tagInput = h('input', { type: 'text', class: 'tag-input', placeholder: 'add a tag', 'aria-label': `Add a tag to ${kind} ${record.id}`, maxlength: 50 });
  const tags = h('form', { class: 'tags-row' },
    h('span', { class: 'muted' }, 'Tags '),
    (record.tags || []).map((t) => h('span', { class: 'tag-chip', dataset: { tag: t } }, t,
      h('button', { type: 'button', class: 'tag-remove', 'aria-label': `Remove tag ${t}`, title: `Remove tag ${t}`, onclick: () => change({ removeTags: [t] }) }, '×'))),
    tagInput, h('button', { type: 'submit', class: 'tag-add' }, 'Add'));
  tags.addEventListener('submit', async (e) => {
    e.preventDefault();
    const t = tagInput.value.trim();
    if (t) await change({ addTags: [t] });
  });

  // notes: shown as text, edited in a textarea in place
  function showNotes() {
    notesBox.replaceChildren(
      h('div', { class: 'panel-head' }, h('h3', {}, 'Notes'),
        h('button', { type: 'button', class: 'notes-edit', onclick: editNotes }, record.notes ? 'Edit notes' : 'Add notes')),
      record.notes ? h('div', { class: 'notes-text' }, record.notes) : h('div', { class: 'muted notes-text empty' }, 'No notes yet.'));
  }
  function editNotes() {
    const area = h('textarea', { class: 'notes-editor', rows: 4, 'aria-label': `Notes of ${kind} ${record.id}`, maxlength: 20000 });
    area.value = record.notes || '';
    notesBox.replaceChildren(h('h3', {}, 'Notes'), area,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary notes-save', onclick: () => change({ notes: area.value }) }, 'Save notes'),
        h('button', { type: 'button', class: 'notes-cancel', onclick: showNotes }, 'Cancel')));
    area.focus();
  }
  showNotes();

  box.append(actions, renameBox, confirmBox, error, tags, notesBox);
  return box;
}

/** Keeps archived rows out of a list unless asked: a checkbox whose state lives in the URL (?archived=1). */
export function archivedToggle(ctx, onToggle, label = 'Show archived') {
  const box = h('input', { type: 'checkbox', id: 'show-archived', checked: ctx.query.get('archived') === '1' });
  box.addEventListener('change', () => { ctx.setQuery({ archived: box.checked ? '1' : null }); onToggle(); });
  return h('label', { class: 'archived-toggle' }, box, ` ${label}`);
}

export const showArchived = (ctx) => ctx.query.get('archived') === '1';
