import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localProblems } from '../../main/resources/dev/ludus/dashboard/js/sweep-checks.js';

const catalogue = {
  envs: [{ id: 'CartPole-v1' }, { id: 'FrozenLake-v1' }],
  agents: [{ name: 'dqn', params: [{ name: 'lr' }, { name: 'gamma' }, { name: 'batch_size' }] }, { name: 'q-learning', params: [{ name: 'lr' }] }],
};

test('every problem the page can see is reported at once, misspellings with the closest name', () => {
  const def = {
    name: 'x', task: { type: 'rl', env: 'CartPol-v1', agent: 'dqn' },
    params: { lrr: [0.1], gama: 0.9, batch_size: 32, zzzzzzzzzz: 1 }, seeds: [1, 2, 1, 'a'], parallelism: 0,
  };
  assert.deepEqual(localProblems(def, catalogue), [
    { field: 'task.env', message: "task.env: unknown env 'CartPol-v1'; did you mean 'CartPole-v1'?" },
    { field: 'params.lrr', message: 'params.lrr: unknown parameter for agent dqn; did you mean lr?' },
    { field: 'params.gama', message: 'params.gama: unknown parameter for agent dqn; did you mean gamma?' },
    { field: 'params.zzzzzzzzzz', message: 'params.zzzzzzzzzz: unknown parameter for agent dqn; known: lr, gamma, batch_size' },
    { field: 'seeds[2]', message: 'seeds[2]: seed 1 is listed twice' },
    { field: 'seeds[3]', message: 'seeds[3]: must be an integer, got "a"' },
    { field: 'parallelism', message: 'parallelism: must be an integer >= 1, got 0' },
  ]);
});

test('a valid definition, or one the catalogue cannot judge, has no local problem', () => {
  assert.deepEqual(localProblems({ name: 'ok', task: { type: 'rl', env: 'CartPole-v1', agent: 'dqn' }, params: { lr: [0.1] }, seeds: [1, 2] }, catalogue), []);
  assert.deepEqual(localProblems({ name: 'ok', task: { type: 'rl', env: 'Mine-v0', agent: 'mine' }, params: { x: 1 } }), [], 'no catalogue: nothing to say');
  assert.deepEqual(localProblems({ name: 'ok', task: { type: 'classification', dataset: 'fashion-mnist' }, params: { hidden: [[16]] } }, catalogue), []);
  assert.deepEqual(localProblems({ name: '', task: { agent: 'dqm' } }, catalogue).map((p) => p.field), ['name', 'task.agent']);
});
