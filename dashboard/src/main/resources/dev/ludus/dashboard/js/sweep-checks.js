// Checks the launch page can make itself, before the server sees the sweep: all of them at once, as you
// type, so a definition with three mistakes shows three messages (the server answers with its first).
// Pure (no DOM): unit-tested with node --test. The server stays the authority: these never block a launch.
import { closest } from './ui.js';

/**
 * Problems of a sweep definition the page can see from the catalogue (GET /api/envs, /api/agents):
 * [{field, message}] with fields named as the API names them (`params.lrr`, `task.env`, `seeds[2]`).
 * Unknown names get the closest known one ("did you mean lr?").
 */
export function localProblems(def, { envs = [], agents = [] } = {}) {
  const out = [];
  const add = (field, message) => out.push({ field, message: `${field}: ${message}` });
  if (!def || typeof def !== 'object' || Array.isArray(def)) return out;
  if (typeof def.name !== 'string' || def.name.trim() === '' || def.name.length > 200) add('name', 'must be 1 to 200 characters');
  const task = def.task && typeof def.task === 'object' ? def.task : null;
  if (task && (task.type === 'rl' || task.type === undefined)) {
    const envIds = envs.map((e) => e.id);
    if (envIds.length && typeof task.env === 'string' && !envIds.includes(task.env)) {
      const near = closest(task.env, envIds);
      add('task.env', `unknown env '${task.env}'${near ? `; did you mean '${near}'?` : ''}`);
    }
    const agentNames = agents.map((a) => a.name);
    const agent = agents.find((a) => a.name === task.agent);
    if (agentNames.length && typeof task.agent === 'string' && !agent) {
      const near = closest(task.agent, agentNames);
      add('task.agent', `unknown agent '${task.agent}'${near ? `; did you mean '${near}'?` : `; known: ${agentNames.join(', ')}`}`);
    }
    if (agent && def.params && typeof def.params === 'object') {
      const known = agent.params.map((p) => p.name);
      for (const k of Object.keys(def.params)) {
        if (known.includes(k)) continue;
        const near = closest(k, known);
        add(`params.${k}`, `unknown parameter for agent ${agent.name}${near ? `; did you mean ${near}?` : `; known: ${known.join(', ')}`}`);
      }
    }
  }
  if (def.seeds !== undefined) {
    if (!Array.isArray(def.seeds) || def.seeds.length === 0) add('seeds', 'must be a non-empty list of integers');
    else {
      const seen = new Set();
      def.seeds.forEach((s, i) => {
        if (!Number.isInteger(s)) add(`seeds[${i}]`, `must be an integer, got ${JSON.stringify(s)}`);
        else if (seen.has(s)) add(`seeds[${i}]`, `seed ${s} is listed twice`);
        seen.add(s);
      });
    }
  }
  if (def.parallelism !== undefined && !(Number.isInteger(def.parallelism) && def.parallelism >= 1)) {
    add('parallelism', `must be an integer >= 1, got ${JSON.stringify(def.parallelism)}`);
  }
  return out;
}
