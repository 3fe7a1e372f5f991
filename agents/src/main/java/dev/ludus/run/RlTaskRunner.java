package dev.ludus.run;

import java.util.Map;

/** Runs {@code type=rl} tasks. Placeholder until the agents work (issue 4) lands; replaced by the real runner. */
final class RlTaskRunner implements TaskRunner {
    @Override
    public String type() {
        return "rl";
    }

    @Override
    public void validate(Map<String, Object> task, Map<String, Object> params) {
        throw new UnsupportedOperationException("task.type: 'rl' runs are not implemented yet");
    }

    @Override
    public RunOutcome execute(RunSpec spec, RunListener listener) {
        throw new UnsupportedOperationException("task.type: 'rl' runs are not implemented yet");
    }
}
