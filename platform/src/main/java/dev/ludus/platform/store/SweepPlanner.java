package dev.ludus.platform.store;

import java.util.List;

/**
 * Decides which runs an adaptive sweep (TPE, seed racing) queues next. The store asks it inside the write that
 * creates the sweep and in every write that ends one of its runs, so the runs it plans are committed with the
 * change that made them due: a crash never loses or doubles a suggestion, and the study's whole state is its runs.
 */
public interface SweepPlanner {

    /** True for a sweep whose runs this planner makes as it goes (asked before the sweep's runs are read). */
    boolean plans(SweepRecord sweep);

    /**
     * The runs to queue now, given every run of the sweep so far (all attempts, in id order); empty when nothing is
     * due. Called on the store's writer thread.
     */
    List<SweepPlan.PlannedRun> next(SweepRecord sweep, List<RunRecord> runs);
}
