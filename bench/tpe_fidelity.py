#!/usr/bin/env python3
"""Writes the Optuna 3.1 side of TpeFidelityTest: one fixed trial history (a mixed space: uniform, log-uniform, integer,
categorical; complete trials with tied values, two running ones, two pruned ones at different steps), and for it
  - Optuna's log l(x), log g(x) at fixed points, computed by its own pipeline (_get_observation_pairs,
    _split_observation_pairs, _ParzenEstimator) exactly as TPESampler._sample_relative builds them;
  - the suggestions of TPESampler(seed=s, multivariate=True, constant_liar=True) for s in range(SAMPLES), each from
    a fresh study holding the same history (study.add_trial), asked through study.ask() as a running trial would be.
Usage: /usr/bin/python3 bench/tpe_fidelity.py [SAMPLES=3000] > platform/src/test/resources/tpe-fidelity/optuna31.json
With "hartmann6" as a second argument, the history is instead the first 60 trials of Optuna's own study of bench/run
tpe's Hartmann-6 (seed 0): the benchmark's kind of history (tpe-fidelity/optuna31-hartmann6.json).
"""
import json
import math
import sys
import warnings

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator
from optuna.samplers._tpe.sampler import _get_observation_pairs, _split_observation_pairs
from optuna.trial import TrialState, create_trial

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")

SPACE = {
    "x": FloatDistribution(-5.0, 10.0),
    "lr": FloatDistribution(1e-4, 1e-1, log=True),
    "n": IntDistribution(1, 8),
    "act": CategoricalDistribution(["relu", "tanh", "gelu"]),
}
LUDUS_PARAMS = {"x": {"uniform": [-5.0, 10.0]}, "lr": {"log_uniform": [1e-4, 1e-1]}, "n": {"int_uniform": [1, 8]},
                "act": ["relu", "tanh", "gelu"]}


def history():
    """45 trials: the early ones drift in x so that trial order and loss order differ (the weights ramp follows
    trial order); losses rounded to one decimal so that ties occur."""
    rng = np.random.RandomState(2026)
    trials = []
    for t in range(45):
        x = float(np.clip(-4.0 + 0.3 * t + rng.normal(0, 1.5), -5, 10))
        lr = float(math.exp(rng.uniform(math.log(1e-4), math.log(1e-1))))
        n = int(rng.randint(1, 9))
        act = ["relu", "tanh", "gelu"][rng.randint(3)]
        params = {"x": x, "lr": lr, "n": n, "act": act}
        loss = round((x - 6) ** 2 / 10 + (math.log10(lr) + 2) ** 2 + 0.5 * abs(n - 3) + (act != "gelu"), 1)
        if t in (20, 33):
            trials.append({"params": params, "state": "running"})
        elif t in (12, 27):  # pruned after 3 and after 7 steps: Optuna ranks the later one first
            trials.append({"params": params, "state": "pruned", "step": 3 if t == 12 else 7, "value": loss})
        else:
            trials.append({"params": params, "state": "complete", "value": loss})
    return trials


def hartmann_history():
    """The first 60 trials Optuna's TPESampler(seed=0, multivariate=True, constant_liar=True) makes on Hartmann-6."""
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    import tpe_optuna
    sampler = optuna.samplers.TPESampler(seed=0, multivariate=True, constant_liar=True)
    study = optuna.create_study(sampler=sampler, direction="minimize")
    study.optimize(lambda t: tpe_optuna.hartmann6([t.suggest_float("x%d" % i, 0.0, 1.0) for i in range(6)]), n_trials=60)
    return [{"params": t.params, "state": "complete", "value": t.value} for t in study.trials]


def study_with(trials, sampler):
    study = optuna.create_study(sampler=sampler, direction="minimize")
    for t in trials:
        if t["state"] == "complete":
            study.add_trial(create_trial(params=t["params"], distributions=SPACE, value=t["value"]))
        elif t["state"] == "pruned":
            study.add_trial(create_trial(state=TrialState.PRUNED, params=t["params"], distributions=SPACE,
                                         intermediate_values={t["step"]: t["value"]}))
        else:
            study.add_trial(create_trial(state=TrialState.RUNNING, params=t["params"], distributions=SPACE))
    return study


def main():
    global SPACE, LUDUS_PARAMS
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    hartmann = len(sys.argv) > 2 and sys.argv[2] == "hartmann6"
    if hartmann:
        SPACE = {"x%d" % i: FloatDistribution(0.0, 1.0) for i in range(6)}
        LUDUS_PARAMS = {"x%d" % i: {"uniform": [0.0, 1.0]} for i in range(6)}
    trials = hartmann_history() if hartmann else history()

    # the two densities as TPESampler._sample_relative builds them (no ask(): only the given history)
    sampler = optuna.samplers.TPESampler(seed=0, multivariate=True, constant_liar=True)
    study = study_with(trials, sampler)
    names = list(SPACE)
    values, scores, violations = _get_observation_pairs(study, names, True, False)
    n = sum(s < float("inf") for s, v in scores)
    below_idx, above_idx = _split_observation_pairs(scores, sampler._gamma(n), violations)
    cv = {k: np.asarray(v, dtype=float) for k, v in values.items()}
    below = {k: v[below_idx] for k, v in cv.items()}
    above = {k: v[above_idx] for k, v in cv.items()}
    mpe_below = _ParzenEstimator(below, SPACE, sampler._parzen_estimator_parameters)
    mpe_above = _ParzenEstimator(above, SPACE, sampler._parzen_estimator_parameters)
    rng = np.random.RandomState(7)
    if hartmann:
        points = {k: rng.uniform(0, 1, 40) for k in SPACE}
    else:
        points = {"x": rng.uniform(-5, 10, 40), "lr": np.exp(rng.uniform(math.log(1e-4), math.log(1e-1), 40)),
                  "n": rng.randint(1, 9, 40).astype(float), "act": rng.randint(0, 3, 40)}
    log_l = mpe_below.log_pdf(points)
    log_g = mpe_above.log_pdf(points)

    suggestions = []
    for seed in range(samples):
        s = optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=True)
        st = study_with(trials, s)
        trial = st.ask(SPACE)
        p = trial.params
        if hartmann:
            suggestions.append([p[k] for k in SPACE])
        else:
            suggestions.append([p["x"], p["lr"], p["n"], ["relu", "tanh", "gelu"].index(p["act"])])

    json.dump({
        "optuna": optuna.__version__,
        "params": LUDUS_PARAMS,
        "history": trials,
        "n": int(n),
        "below": [int(i) for i in below_idx],
        "above": [int(i) for i in above_idx],
        "points": [[float(points[k][i]) for k in SPACE] for i in range(40)],
        "logL": [float(v) for v in log_l],
        "logG": [float(v) for v in log_g],
        "suggestions": suggestions,
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
