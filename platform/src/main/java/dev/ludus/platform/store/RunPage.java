package dev.ludus.platform.store;

import java.util.List;

/** One page of a run search and how many runs matched in all. */
public record RunPage(List<RunRecord> runs, int matched) {
    public RunPage {
        runs = List.copyOf(runs);
    }
}
