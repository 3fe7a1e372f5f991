package dev.ludus.agents;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Episode seeds that a trained agent has never met: drawn from a stream of their own and checked against every seed
 * the {@link Trainer} used for the run — each training env's episode seeds (an env plays at most as many episodes
 * as the run played in all, plus its first reset) and the fixed evaluation seeds. Re-scoring a saved model on them
 * measures it on episodes it was neither trained nor selected on.
 */
public final class FreshSeeds {

    /** Mixed into the chosen seed so the fresh stream differs from every stream the Trainer derives from a seed. */
    static final long FRESH_SEED_SALT = 0x2545F4914F6CDD1DL;

    private FreshSeeds() {
    }

    /**
     * @param runSeed          the run's seed
     * @param numEnvs          training envs of the run ({@link AgentSpec#numEnvs})
     * @param trainingEpisodes episodes the run played over all envs (an upper bound is enough)
     * @param evalEpisodes     episodes of each of the run's evaluations
     * @param seed             the seed of the fresh stream (the same seed gives the same fresh episodes)
     * @param count            how many seeds
     */
    public static long[] of(long runSeed, int numEnvs, long trainingEpisodes, int evalEpisodes, long seed, int count) {
        if (numEnvs < 1 || trainingEpisodes < 0 || evalEpisodes < 0 || count < 0) {
            throw new IllegalArgumentException("numEnvs, trainingEpisodes, evalEpisodes and count must be >= 0 (numEnvs >= 1)");
        }
        long perEnv = trainingEpisodes + 1;
        long total = numEnvs * perEnv + evalEpisodes;
        if (total > 50_000_000L) {
            throw new IllegalArgumentException("too many training episodes to exclude their seeds: " + total);
        }
        long[] used = new long[(int) total];
        int k = 0;
        var streams = Trainer.episodeSeedStreams(runSeed, numEnvs); // whatever generator type the Trainer's streams are
        for (var stream : streams) {
            for (long i = 0; i < perEnv; i++) {
                used[k++] = stream.nextLong();
            }
        }
        for (long s : Trainer.evaluationSeeds(runSeed, evalEpisodes)) {
            used[k++] = s;
        }
        Arrays.sort(used);
        SplittableRandom fresh = new SplittableRandom(seed ^ FRESH_SEED_SALT);
        long[] out = new long[count];
        for (int i = 0; i < count; ) {
            long candidate = fresh.nextLong();
            if (Arrays.binarySearch(used, candidate) < 0) {
                out[i++] = candidate;
            }
        }
        return out;
    }
}
