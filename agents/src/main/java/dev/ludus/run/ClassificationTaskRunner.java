package dev.ludus.run;

import java.util.Map;

/** Runs {@code type=classification} tasks. Placeholder until supervised training (issue 3) lands; replaced by the real runner. */
final class ClassificationTaskRunner implements TaskRunner {
    @Override
    public String type() {
        return "classification";
    }

    @Override
    public void validate(Map<String, Object> task, Map<String, Object> params) {
        throw new UnsupportedOperationException("task.type: 'classification' runs are not implemented yet");
    }

    @Override
    public RunOutcome execute(RunSpec spec, RunListener listener) {
        throw new UnsupportedOperationException("task.type: 'classification' runs are not implemented yet");
    }
}
