// #/launch?file=cartpole-dqn.json — pick a sweep file from experiments/ or write one, then launch it.
// The definition is edited as JSON and as a form of its fields; the API's validation error is shown
// next to the field it names.
import { api, ApiError } from '../api.js';
import { h, stateBox } from '../ui.js';
import { localProblems } from '../sweep-checks.js';

const TEMPLATE = {
  name: 'my-sweep',
  task: { type: 'rl', env: 'CartPole-v1', agent: 'dqn', steps: 20000, eval_every: 5000, eval_episodes: 5 },
  search: { method: 'grid' },
  params: { lr: [0.0003, 0.001] },
  seeds: [1, 2, 3],
  parallelism: 2,
};

export async function launchView(main, ctx) {
  const files = h('div', { class: 'file-list', id: 'experiment-files' }, stateBox('loading', 'Loading experiments/…'));
  const editor = h('textarea', { id: 'sweep-json', class: 'code', spellcheck: 'false', wrap: 'off', rows: 24, 'aria-label': 'Sweep definition (JSON)' });
  const jsonError = h('div', { class: 'field-error', id: 'json-error', hidden: true });
  const form = h('div', { class: 'fields', id: 'sweep-fields' });
  const checks = h('div', { class: 'warn', id: 'local-problems', role: 'status' });
  const banner = h('div', { id: 'launch-result' });
  const launch = h('button', { class: 'primary', id: 'launch-button', type: 'button' }, 'Launch sweep');
  const source = h('span', { class: 'muted', id: 'sweep-source' });

  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Launch a sweep'), source),
    h('div', { class: 'launch' },
      h('section', { class: 'panel' }, h('h2', {}, 'From experiments/'), files,
        h('button', { type: 'button', id: 'new-sweep', onclick: () => useDefinition(TEMPLATE, 'a new definition', null) }, 'Start from a template')),
      h('section', { class: 'panel grow' }, h('h2', {}, 'Definition (JSON)'), editor, jsonError),
      h('section', { class: 'panel' }, h('h2', {}, 'Fields'), checks, form, banner, launch)));

  let agents = [], envs = [], serverError = null;
  const catalogue = h('datalist', { id: 'env-ids' });
  const agentList = h('datalist', { id: 'agent-names' });
  main.append(catalogue, agentList);

  function parse() {
    try {
      const value = JSON.parse(editor.value);
      jsonError.hidden = true;
      return value;
    } catch (e) {
      jsonError.hidden = false;
      jsonError.textContent = `Not valid JSON: ${describeJsonError(editor.value, e)}`;
      return undefined;
    }
  }

  function useDefinition(def, label, file) {
    editor.value = prettyJson(def);
    source.textContent = `editing ${label}`;
    ctx.setQuery({ file });
    serverError = null;
    banner.replaceChildren();
    renderForm();
  }

  function renderForm() {
    const def = parse();
    if (def === undefined) return;
    if (!def || typeof def !== 'object' || Array.isArray(def)) {
      form.replaceChildren(stateBox('error', 'A sweep definition is a JSON object.'));
      return;
    }
    const rows = leaves(def);
    // the server names every problem it found (errors), or one (field)
    const serverErrors = !serverError ? [] : serverError.errors || (serverError.field ? [{ field: serverError.field, message: serverError.message }] : []);
    for (const e of serverErrors) {
      if (e.field && !findRow(rows, e.field)) rows.push({ path: e.field, value: undefined, missing: true });
    }
    // Everything the page can check itself, all at once; the server's first error comes on launch.
    const problems = localProblems(def, { envs, agents });
    for (const p of problems) if (!findRow(rows, p.field)) rows.push({ path: p.field, value: undefined, missing: true });
    checks.textContent = problems.length
      ? `${problems.length} problem${problems.length > 1 ? 's' : ''} marked below (the server checks the rest when you launch).` : '';
    const agent = agents.find((a) => def.task && a.name === def.task.agent);
    form.replaceChildren(...rows.map((row) => fieldRow(row, agent)), ...addParamRow(def, agent));
    for (const p of problems) {
      const row = findRow(rows, p.field);
      form.querySelector(`[data-path="${cssEscape(row.path)}"] .field-check`).append(h('div', {}, p.message));
    }
    for (const e of serverErrors) {
      const target = e.field ? findRow(rows, e.field) : null;
      if (!target) continue;
      const el = form.querySelector(`[data-path="${cssEscape(target.path)}"] .field-error`);
      el.hidden = false;
      el.textContent = el.textContent ? `${el.textContent}; ${e.message}` : e.message;
    }
  }

  function fieldRow(row, agent) {
    const input = h('input', {
      type: 'text', value: row.missing ? '' : JSON.stringify(row.value), 'aria-label': row.path,
      placeholder: row.missing ? 'missing — add it' : undefined,
      list: row.path === 'task.env' ? 'env-ids' : row.path === 'task.agent' ? 'agent-names' : undefined,
      onchange: () => {
        const def = parse();
        if (def === undefined) return;
        setPath(def, row.path, parseLoose(input.value));
        editor.value = prettyJson(def);
        serverError = null; banner.replaceChildren();
        renderForm();
      },
    });
    const paramName = row.path.startsWith('params.') ? row.path.split('.')[1] : null;
    const spec = agent && paramName ? agent.params.find((p) => p.name === paramName) : null;
    const hint = spec ? paramHint(spec) : null;
    return h('div', { class: 'field', dataset: { path: row.path } },
      h('label', {}, row.path, row.missing ? ' (missing)' : ''), input,
      hint ? h('div', { class: 'hint' }, hint) : null,
      h('div', { class: 'field-check' }),
      h('div', { class: 'field-error', role: 'alert', hidden: true }));
  }

  // The agent's declared params not in the definition yet: picking one adds it at its default, to edit or sweep.
  function addParamRow(def, agent) {
    if (!agent) return [];
    const present = new Set(Object.keys(def.params && typeof def.params === 'object' ? def.params : {}));
    const missing = agent.params.filter((p) => !present.has(p.name));
    if (missing.length === 0) return [];
    const select = h('select', {
      id: 'add-param', 'aria-label': `Add a ${agent.name} parameter`,
      onchange: () => {
        const spec = missing.find((p) => p.name === select.value);
        const current = parse();
        if (!spec || current === undefined) return;
        if (!current.params || typeof current.params !== 'object' || Array.isArray(current.params)) current.params = {};
        current.params[spec.name] = spec.default;
        editor.value = prettyJson(current);
        serverError = null; banner.replaceChildren();
        renderForm();
      },
    }, h('option', { value: '' }, `Add a ${agent.name} parameter…`),
    ...missing.map((p) => h('option', { value: p.name, title: paramHint(p) }, `${p.name} — ${p.description}`)));
    return [h('div', { class: 'field add-param' }, h('label', {}, `${agent.name} (${agent.observationSpaces.join(' or ')} / ${agent.actionSpaces.join(' or ')})`), select)];
  }

  let typing = null;
  function followTyping() {
    clearTimeout(typing);
    typing = null;
    serverError = null;
    banner.replaceChildren();
    renderForm();
  }
  editor.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(followTyping, 250);
  });

  launch.addEventListener('click', async () => {
    // A re-render still pending from typing must happen now: run later, it would wipe this launch's answer.
    if (typing !== null) followTyping();
    const def = parse();
    if (def === undefined) { editor.focus(); return; }
    launch.disabled = true;
    banner.replaceChildren(stateBox('loading', 'Validating and launching…'));
    try {
      const created = await api('/sweeps', { method: 'POST', body: editor.value });
      if (!ctx.alive) return;
      location.hash = `#/sweeps/${created.id}`;
    } catch (e) {
      if (!ctx.alive) return;
      serverError = e instanceof ApiError ? e : new ApiError(0, e.message);
      banner.replaceChildren(stateBox('error', `The server rejected the sweep: ${serverError.describe()}`));
      renderForm();
    } finally {
      launch.disabled = false;
    }
  });

  // The catalogue helps fill env and agent names and documents params; the page works without it.
  Promise.all([api('/envs').catch(() => []), api('/agents').catch(() => [])]).then(([e, a]) => {
    if (!ctx.alive) return;
    envs = e; agents = a;
    catalogue.replaceChildren(...envs.map((env) => h('option', { value: env.id })));
    agentList.replaceChildren(...agents.map((ag) => h('option', { value: ag.name }, ag.description)));
    renderForm();
  });

  let experiments = [];
  try {
    experiments = await api('/experiments');
  } catch (e) {
    files.replaceChildren(stateBox('error', `Could not list experiments/: ${e.describe()}`));
  }
  if (!ctx.alive) return;
  if (experiments.length === 0 && !files.querySelector('.state-error')) {
    files.replaceChildren(stateBox('empty', 'experiments/ holds no sweep files.'));
  } else if (experiments.length) {
    files.replaceChildren(...experiments.map((x) => h('button', {
      type: 'button', class: 'file', dataset: { file: x.file }, title: x.error || '',
      onclick: (ev) => {
        if (x.error) { banner.replaceChildren(stateBox('error', `${x.file} is not a valid sweep file: ${x.error}`)); return; }
        files.querySelectorAll('.file').forEach((b) => b.classList.toggle('active', b === ev.currentTarget));
        useDefinition(x.sweep, x.file, x.file);
      },
    }, x.file, x.error ? h('span', { class: 'badge status-failed' }, 'invalid') : null)));
  }
  const wanted = experiments.find((x) => x.file === ctx.query.get('file') && x.sweep);
  if (wanted) {
    files.querySelector(`[data-file="${cssEscape(wanted.file)}"]`)?.classList.add('active');
    useDefinition(wanted.sweep, wanted.file, wanted.file);
  } else {
    useDefinition(TEMPLATE, 'a new definition', null);
  }
}

/** What a param's declaration says: "double, > 0, default 0.0023: learning rate" or its choices. */
export function paramHint(spec) {
  const kind = spec.choices ? `one of ${spec.choices.join(', ')}` : spec.range ? `${spec.type}, ${spec.range}` : spec.type;
  return `${kind}, default ${JSON.stringify(spec.default)}: ${spec.description}`;
}

/** JSON with two-space indents, but lists of plain values on one line ("seeds": [1, 2, 3]). */
export function prettyJson(value, indent = '') {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    return `[\n${value.map((v) => inner + prettyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${prettyJson(value[k], inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** Form rows: one per scalar or array, objects opened up, paths named the way API errors name them. */
function leaves(value, prefix = '') {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) return [{ path: prefix, value }];
    return keys.flatMap((k) => leaves(value[k], prefix ? `${prefix}.${k}` : k));
  }
  return [{ path: prefix, value }];
}

/** The row an error's field belongs to: exact, else a row inside it, else the closest enclosing row. */
function findRow(rows, field) {
  const exact = rows.find((r) => r.path === field);
  if (exact) return exact;
  const inside = rows.find((r) => r.path.startsWith(`${field}.`) || r.path.startsWith(`${field}[`));
  if (inside) return inside;
  let f = field;
  while (/[.[]/.test(f)) {
    f = f.replace(/(\.[^.[]*|\[\d+\])$/, '');
    const enclosing = rows.find((r) => r.path === f);
    if (enclosing) return enclosing;
  }
  return null;
}

function setPath(obj, path, value) {
  const parts = path.split('.');
  let o = obj;
  for (const p of parts.slice(0, -1)) {
    if (!o[p] || typeof o[p] !== 'object') o[p] = {};
    o = o[p];
  }
  o[parts[parts.length - 1]] = value;
}

/** Form inputs take JSON (numbers, lists, quoted strings) and fall back to a plain string. */
function parseLoose(text) {
  try { return JSON.parse(text); } catch { return text; }
}

function describeJsonError(text, e) {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return e.message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos).split('\n');
  return `${e.message.replace(/ in JSON at position \d+.*/, '')} at line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function cssEscape(s) {
  return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, '\\$&');
}
