package io.campanello.subscription.matching;

import io.campanello.kafka.TopicTable;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.EventEnvelope;
import io.campanello.schemas.v1.MatchMode;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import io.campanello.subscription.filter.EventFilter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.json.JsonMapper;

/**
 * Matching throughput against 100, 10,000 and 100,000 active subscriptions, and the heap they take. Not a test:
 * run with {@code bash bench/matching.sh}.
 *
 * <p>Like with like at every size: each of the N/10 event types has exactly ten subscriptions, five without a
 * filter and five with {@code data.amount > K} (50 distinct expressions at every size); the events walk a fixed
 * sequence of types spread over all of them, and the part of the sequence that decides the matches (the type's
 * last digit and the event's amount) is the same at every size, so every size does the same matches and the same
 * filter evaluations per event — checked, and printed.
 *
 * <p>Several JVMs (forks) run one after the other; each builds the index of every size, warms every size up, then
 * measures rounds of half a second, the sizes taking turns (the first size of a turn rotating), so that a noisy
 * moment of the machine hits every size alike. Per size: the median of all rounds; the drop from the first size is
 * the median, over the turns, of each turn's ratio to the first size.
 *
 * <p>{@code MatchingBenchmark [sizes…]} runs the forks ({@code -Dbench.forks}, default 3; {@code
 * -Dbench.childOpts} adds JVM options to them, e.g. a flight recording); {@code MatchingBenchmark --fork sizes…}
 * is one fork, in this JVM.
 */
public final class MatchingBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TENANT = "bench";
    /** Subscriptions per event type, at every size. */
    private static final int PER_TYPE = 10;
    /** The same variety of filter expressions at every size, so that the figures compare the index, not CEL. */
    private static final int DISTINCT_FILTERS = 50;
    /** Event objects (their data); a power of two. */
    private static final int EVENTS = 1 << 10;
    /** Steps of the sequence of event types, long enough to reach every type at 100,000; a power of two. */
    private static final int STEPS = 1 << 16;

    private static final int WARM_UP_ROUNDS = Integer.getInteger("bench.warmup", 4);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 10);
    private static final Duration ROUND = Duration.ofMillis(500);

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[0].equals("--fork")) {
            int[] sizes = Arrays.stream(args, 1, args.length)
                    .mapToInt(Integer::parseInt)
                    .toArray();
            for (Result result : runFork(sizes)) {
                System.out.println(result.line());
            }
            return;
        }
        int[] sizes = args.length == 0
                ? new int[] {100, 10_000, 100_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int forks = Integer.getInteger("bench.forks", 3);
        List<List<Result>> results = new ArrayList<>();
        for (int fork = 1; fork <= forks; fork++) {
            List<Result> forkResults = fork(sizes);
            for (Result result : forkResults) {
                System.out.printf(
                        "fork %d/%d  %,7d subscriptions: median %,9.0f events/s, %s%n",
                        fork,
                        forks,
                        result.n(),
                        median(result.rounds()),
                        result.n() == sizes[0]
                                ? "rounds " + result.roundsText()
                                : String.format(
                                        "%+.1f %% from %,d (median of the turns)",
                                        100 * (median(ratios(result, forkResults.get(0))) - 1), sizes[0]));
            }
            results.add(forkResults);
        }
        print(sizes, results);
    }

    /** One fork in a fresh JVM with this JVM's options (but not its flight recording). */
    private static List<Result> fork(int[] sizes) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-XX:StartFlightRecording") && !option.startsWith("-Dbench.childOpts")) {
                command.add(option);
            }
        }
        String childOptions = System.getProperty("bench.childOpts", "").trim();
        if (!childOptions.isEmpty()) {
            command.addAll(Arrays.asList(childOptions.split("\\s+")));
        }
        command.addAll(
                List.of("-cp", System.getProperty("java.class.path"), MatchingBenchmark.class.getName(), "--fork"));
        Arrays.stream(sizes).forEach(n -> command.add(Integer.toString(n)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<Result> results = new ArrayList<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    results.add(Result.parse(line));
                } else {
                    output.add(line);
                }
            }
        }
        int status = process.waitFor();
        if (status != 0 || results.size() != sizes.length) {
            output.forEach(System.err::println);
            throw new IllegalStateException("a fork failed, exit status " + status);
        }
        return results;
    }

    private static void print(int[] sizes, List<List<Result>> forks) {
        System.out.println();
        System.out.printf(
                "%-15s %15s %25s %12s %18s %12s%n",
                "subscriptions", "events/s", "fork medians", "vs first", "matches per event", "heap (MiB)");
        long matchesPerPass = forks.get(0).get(0).matchesPerPass();
        for (int s = 0; s < sizes.length; s++) {
            int size = s;
            double[] all = forks.stream()
                    .flatMapToDouble(fork -> Arrays.stream(fork.get(size).rounds()))
                    .toArray();
            double[] forkMedians = forks.stream()
                    .mapToDouble(fork -> median(fork.get(size).rounds()))
                    .sorted()
                    .toArray();
            double[] allRatios = forks.stream()
                    .flatMapToDouble(fork -> Arrays.stream(ratios(fork.get(size), fork.get(0))))
                    .toArray();
            double heap = median(
                    forks.stream().mapToDouble(fork -> fork.get(size).heapMiB()).toArray());
            for (List<Result> fork : forks) {
                if (fork.get(size).matchesPerPass() != matchesPerPass) {
                    throw new IllegalStateException(
                            "not like with like: " + fork.get(size).matchesPerPass()
                                    + " matches per " + STEPS + " events at " + sizes[size] + ", " + matchesPerPass
                                    + " at " + sizes[0]);
                }
            }
            System.out.printf(
                    "%-15d %15.0f %25s %11.1f%% %18.2f %12.1f%n",
                    sizes[size],
                    median(all),
                    String.format("%,.0f–%,.0f", forkMedians[0], forkMedians[forkMedians.length - 1]),
                    100 * (median(allRatios) - 1),
                    matchesPerPass / (double) STEPS,
                    heap);
        }
    }

    /** Per turn, the rate of one size over the first size's rate in the same turn. */
    private static double[] ratios(Result size, Result first) {
        double[] ratios = new double[size.rounds().length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = size.rounds()[i] / first.rounds()[i];
        }
        return ratios;
    }

    /** What one size needs to be measured: its index, events and sequence of types. */
    private record Setup(int n, SubscriptionIndex index, EventEnvelope[] events, Sequence sequence, double heapMiB) {}

    /** Builds the index of every size in this JVM, warms them up and measures them in turns. */
    static List<Result> runFork(int[] sizes) {
        // Loads and initialises what every size uses (Avro, CEL, the table), so the heap figure is the index's.
        build(PER_TYPE);
        List<Setup> setups = new ArrayList<>();
        for (int n : sizes) {
            setups.add(setUp(n));
        }
        long[] matchesPerPass = new long[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
            Setup setup = setups.get(s);
            matchesPerPass[s] = pass(setup.index(), setup.events(), setup.sequence(), 0, STEPS);
        }
        double[][] rounds = new double[sizes.length][ROUNDS];
        for (int turn = -WARM_UP_ROUNDS; turn < ROUNDS; turn++) {
            for (int i = 0; i < sizes.length; i++) {
                // The size that goes first changes from turn to turn.
                int s = Math.floorMod(turn + i, sizes.length);
                Setup setup = setups.get(s);
                double rate = round(setup.index(), setup.events(), setup.sequence());
                if (turn >= 0) {
                    rounds[s][turn] = rate;
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (int s = 0; s < sizes.length; s++) {
            results.add(new Result(
                    sizes[s], rounds[s], matchesPerPass[s], setups.get(s).heapMiB()));
        }
        return results;
    }

    private static Setup setUp(int n) {
        if (n % PER_TYPE != 0) {
            throw new IllegalArgumentException("the number of subscriptions must be a multiple of " + PER_TYPE);
        }
        int types = n / PER_TYPE;
        long before = usedHeap();
        SubscriptionIndex index = build(n);
        for (int t = 0; t < types; t++) {
            index.matching(TENANT, type(t)); // the answers it remembers per type are part of its heap
        }
        double heap = (usedHeap() - before) / 1048576.0;
        if (index.size() != n) {
            throw new IllegalStateException("index holds " + index.size() + " subscriptions, expected " + n);
        }
        String[] typeNames = new String[types];
        for (int t = 0; t < types; t++) {
            typeNames[t] = type(t);
        }
        // What decides the matches is drawn from its own streams, the same at every size: the type's last digit
        // (it sets the filters' thresholds) and the amount. Which group of ten types the event goes to is not.
        SplittableRandom amounts = new SplittableRandom(42);
        SplittableRandom digits = new SplittableRandom(43);
        SplittableRandom groups = new SplittableRandom(44);
        EventEnvelope[] events = new EventEnvelope[EVENTS];
        for (int i = 0; i < events.length; i++) {
            events[i] = EventEnvelope.newBuilder()
                    .setId(Ids.newEventId())
                    .setTenant(TENANT)
                    .setType(typeNames[0])
                    .setSubject("s-" + i)
                    .setTime(Instant.EPOCH)
                    .setReceivedAt(Instant.EPOCH)
                    .setData("{\"amount\": " + amounts.nextInt(200) + "}")
                    .build();
        }
        Sequence sequence = new Sequence(STEPS);
        for (int k = 0; k < STEPS; k++) {
            sequence.add(typeNames[groups.nextInt(types / PER_TYPE) * PER_TYPE + digits.nextInt(PER_TYPE)]);
        }
        return new Setup(n, index, events, sequence, heap);
    }

    /**
     * Subscription i listens to type i mod N/10, so the ten of a type were created far apart, as they would be;
     * the even ones by rank within their type have a filter whose threshold depends on the type's last digit.
     */
    private static SubscriptionIndex build(int n) {
        TopicTable<Subscription> table =
                new TopicTable<>("webhooks.subscriptions", Subscription.class, Map.of(), Duration.ofSeconds(1));
        SubscriptionIndex index = new SubscriptionIndex(table);
        int types = n / PER_TYPE;
        for (int i = 0; i < n; i++) {
            int type = i % types;
            int rank = i / types;
            String filter = rank % 2 == 0
                    ? "data.amount > " + (100 + (type % PER_TYPE) * (DISTINCT_FILTERS / PER_TYPE) + rank / 2)
                    : null;
            Subscription subscription = Subscription.newBuilder()
                    .setId(Ids.newSubscriptionId())
                    .setTenant(TENANT)
                    .setUrl("https://example.com/hooks/" + i)
                    .setEventTypes(List.of(type(type)))
                    .setFilter(filter)
                    .setMode(MatchMode.EVERY_TIME)
                    .setStatus(SubscriptionStatus.ACTIVE)
                    .setSecrets(List.of())
                    .setCreatedAt(Instant.EPOCH)
                    .build();
            table.applyOwnWrite(subscription.getId(), subscription);
        }
        return index;
    }

    private static String type(int t) {
        return "bench.type" + t + ".created";
    }

    /** Events per second over one round. */
    private static double round(SubscriptionIndex index, EventEnvelope[] events, Sequence sequence) {
        long start = System.nanoTime();
        long end = start + ROUND.toNanos();
        long count = 0;
        long now;
        do {
            pass(index, events, sequence, (int) (count & (STEPS - 1)), EVENTS);
            count += EVENTS;
            now = System.nanoTime();
        } while (now < end);
        return count * 1e9 / (now - start);
    }

    /**
     * Matches {@code length} events from step {@code from} of the sequence: the index look-up by type (and
     * wildcard prefixes) and every candidate's filter, as the match processor does; returns the matches.
     */
    private static long pass(SubscriptionIndex index, EventEnvelope[] events, Sequence sequence, int from, int length) {
        long matches = 0;
        for (int k = from; k < from + length; k++) {
            EventEnvelope event = events[k & (EVENTS - 1)];
            event.setType(sequence.type(k));
            Map<String, Object> variables = null;
            SubscriptionIndex.Matches candidates = index.matching(event.getTenant(), event.getType());
            for (int i = 0; i < candidates.size(); i++) {
                EventFilter filter = candidates.filter(i);
                if (filter == null) {
                    matches++;
                    continue;
                }
                if (variables == null) {
                    variables = variables(event);
                }
                if (passes(filter, variables)) {
                    matches++;
                }
            }
        }
        return matches;
    }

    private static Map<String, Object> variables(EventEnvelope event) {
        try {
            return EventFilter.variables(event, JSON);
        } catch (EventFilter.FilterEvaluationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean passes(EventFilter filter, Map<String, Object> variables) {
        try {
            return filter.matches(variables);
        } catch (EventFilter.FilterEvaluationException e) {
            return false;
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * The event types of the sequence, one after the other as bytes, read as a consumer reads records: each event
     * gets its own type string, decoded from memory read in order (as from a fetched batch), never a string shared
     * with earlier events that would have to come back from memory at 100,000 types and not at 100.
     */
    private static final class Sequence {

        private final byte[] bytes;
        private final int[] ends;
        private int size;

        Sequence(int steps) {
            this.bytes = new byte[steps * 32];
            this.ends = new int[steps];
        }

        void add(String type) {
            byte[] encoded = type.getBytes(StandardCharsets.ISO_8859_1);
            int start = size == 0 ? 0 : ends[size - 1];
            System.arraycopy(encoded, 0, bytes, start, encoded.length);
            ends[size++] = start + encoded.length;
        }

        String type(int k) {
            int start = k == 0 ? 0 : ends[k - 1];
            return new String(bytes, start, ends[k] - start, StandardCharsets.ISO_8859_1);
        }
    }

    /** One size's figures in one fork: events/s per measured round, matches over one pass of the sequence, heap. */
    record Result(int n, double[] rounds, long matchesPerPass, double heapMiB) {

        String roundsText() {
            return String.join(
                    " ",
                    Arrays.stream(rounds)
                            .mapToObj(r -> String.format("%,.0f", r))
                            .toList());
        }

        String line() {
            return "RESULT " + n + " " + matchesPerPass + " " + heapMiB + " "
                    + String.join(
                            ",",
                            Arrays.stream(rounds).mapToObj(Double::toString).toList());
        }

        static Result parse(String line) {
            String[] parts = line.split(" ");
            return new Result(
                    Integer.parseInt(parts[1]),
                    Arrays.stream(parts[4].split(","))
                            .mapToDouble(Double::parseDouble)
                            .toArray(),
                    Long.parseLong(parts[2]),
                    Double.parseDouble(parts[3]));
        }
    }
}
