package dev.replog.bench.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The {@code --option value} arguments of the bench commands, each checked against the command's known options. */
final class CommandLine {

    private CommandLine() {
    }

    /**
     * The options as name → value (flags, which take no value, as name → "true").
     *
     * @throws IllegalArgumentException on an unknown option or one without its value
     */
    static Map<String, String> values(String[] args, List<String> known, List<String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.startsWith("--") && flags.contains(option.substring(2))) {
                values.put(option.substring(2), "true");
                continue;
            }
            if (!option.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + option);
            }
            values.put(option.substring(2), args[++i]);
        }
        for (String key : values.keySet()) {
            if (!known.contains(key) && !flags.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
        }
        return values;
    }

    /**
     * The command's options read by {@code parse}; on a bad one, the reason and {@code usage} go to
     * stderr and the JVM exits with status 2.
     */
    static <T> T parseOrExit(String command, String usage, Function<String[], T> parse, String[] args) {
        try {
            return parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(command + ": " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            throw e; // not reached
        }
    }
}
