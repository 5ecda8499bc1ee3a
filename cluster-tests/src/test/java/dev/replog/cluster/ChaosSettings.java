package dev.replog.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long {@link ChaosIT} runs and with which seeds, from system properties:
 * <ul>
 *   <li>none (CI): {@value #CI_ROUNDS} rounds of {@link #CI_ROUND}, with random seeds chosen so that
 *       their openings ({@link Nemesis#opening(long)}) cover every kind of fault between them;</li>
 *   <li>{@code -Dchaos.seed=S}: one round with seed S (replays a printed seed), of
 *       {@code chaos.duration} if given, else {@link #CI_ROUND};</li>
 *   <li>{@code -Dchaos.duration=30m} (also {@code 90s}, {@code 2h}, {@code 1500ms}): rounds of about
 *       {@link #LONG_ROUND}, seeds chosen the same way, until that much fault time has passed.</li>
 * </ul>
 *
 * @param seeds     the seed of each round
 * @param round     the fault time of one round
 * @param total     the fault time of all rounds together
 * @param replaying true when a seed was given
 */
record ChaosSettings(List<Long> seeds, Duration round, Duration total, boolean replaying) {

    static final int CI_ROUNDS = 3;
    static final Duration CI_ROUND = Duration.ofSeconds(20);
    static final Duration LONG_ROUND = Duration.ofSeconds(60);

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    static ChaosSettings fromSystemProperties() {
        String seed = System.getProperty("chaos.seed", "").trim();
        String duration = System.getProperty("chaos.duration", "").trim();
        if (!seed.isEmpty()) {
            Duration round = duration.isEmpty() ? CI_ROUND : parse(duration);
            return new ChaosSettings(List.of(Long.parseLong(seed)), round, round, true);
        }
        Random seeds = new Random();
        if (!duration.isEmpty()) {
            Duration total = parse(duration);
            long rounds = Math.max(1, (total.toMillis() + LONG_ROUND.toMillis() - 1) / LONG_ROUND.toMillis());
            Duration round = total.dividedBy(rounds);
            return new ChaosSettings(covering(seeds, (int) rounds), round, total, false);
        }
        return new ChaosSettings(covering(seeds, CI_ROUNDS), CI_ROUND, CI_ROUND.multipliedBy(CI_ROUNDS), false);
    }

    /**
     * {@code rounds} random seeds whose openings, taken in turn, add kinds of fault not yet covered
     * (starting over once every kind is), so three rounds open with all six kinds.
     */
    static List<Long> covering(Random random, int rounds) {
        List<Long> seeds = new ArrayList<>();
        Set<Nemesis.Fault> covered = EnumSet.noneOf(Nemesis.Fault.class);
        for (int i = 0; i < rounds; i++) {
            if (covered.size() == Nemesis.Fault.values().length) {
                covered.clear();
            }
            long seed = random.nextLong();
            for (int tries = 0; tries < 10_000 && Nemesis.opening(seed).stream().anyMatch(covered::contains); tries++) {
                seed = random.nextLong();
            }
            seeds.add(seed);
            covered.addAll(Nemesis.opening(seed));
        }
        return seeds;
    }

    /** {@code 30m}, {@code 90s}, {@code 2h}, {@code 1500ms}, or an ISO-8601 duration ({@code PT30M}). */
    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (m.matches()) {
            long value = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(value);
                case "s" -> Duration.ofSeconds(value);
                case "m" -> Duration.ofMinutes(value);
                default -> Duration.ofHours(value);
            };
        }
        return Duration.parse(text.trim());
    }

    /** The properties that replay the round with {@code seed}. */
    String replay(long seed) {
        return "-Dchaos.seed=" + seed + " -Dchaos.duration=" + round.toMillis() + "ms";
    }
}
