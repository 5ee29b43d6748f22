package io.campanello.subscription.filter;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationListener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What one evaluation of a filter may cost. Every step of the expression costs one unit, and every value a step
 * produces costs its size on top (a string one unit per KiB, a list or a map one unit per element), because the
 * steps that follow walk it: {@code data.s.matches(...)} over a 200 KiB string costs about 200. Past
 * {@code maxCost} units or {@code maxTime} the evaluation is cut.
 *
 * <p>The time is read on the wall clock after every step (a cheap read); an evaluation past {@code maxTime} there
 * is run once more with the time read on its thread's CPU clock, and cut only if it goes past {@code maxTime} again.
 * So a pause of the whole process (garbage collection, a machine too busy to give the matcher a core) never cuts a
 * cheap filter, which would mean "no match" for an event that matches; a filter that really is slow costs at most
 * twice its time before it is cut.
 *
 * @param maxCost the most units one evaluation may use
 * @param maxTime the longest one evaluation may run, checked after every step (a backstop for slow single steps)
 * @param nanoTime the wall clock the time is read from first
 * @param cpuTime the clock of the evaluating thread's CPU time, read when the wall clock said the time was up
 */
public record EvaluationBudget(long maxCost, Duration maxTime, LongSupplier nanoTime, LongSupplier cpuTime) {

    /** The matcher's default: 2,000 units (about 2 MiB of strings walked) and 50 ms. */
    public static final EvaluationBudget DEFAULT = new EvaluationBudget(2_000, Duration.ofMillis(50), System::nanoTime);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** A budget whose second look at the time is the current thread's CPU time (the wall clock where there is none). */
    public EvaluationBudget(long maxCost, Duration maxTime, LongSupplier nanoTime) {
        this(maxCost, maxTime, nanoTime, EvaluationBudget::currentThreadCpuTime);
    }

    private static long currentThreadCpuTime() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Why an evaluation was cut: the tag of {@code campanello.matcher.filter.cut}. */
    public enum Reason {
        /** The expression used more than {@code maxCost} units. */
        COST,
        /** The expression ran longer than {@code maxTime}. */
        TIME
    }

    /** A meter on the wall clock: the first evaluation. */
    Meter start() {
        return new Meter(nanoTime);
    }

    /** A meter on the thread's CPU clock: the evaluation again, after the wall clock said its time was up. */
    Meter startOnCpuClock() {
        return new Meter(cpuTime);
    }

    /** Follows one evaluation; once over the budget it stops it at the next step. */
    final class Meter implements CelEvaluationListener {

        private final LongSupplier clock;
        private final long deadline;
        private long cost;
        private Reason exceeded;

        private Meter(LongSupplier clock) {
            this.clock = clock;
            this.deadline = clock.getAsLong() + maxTime.toNanos();
        }

        @Override
        public void callback(CelExpr expr, Object result) {
            cost += 1 + size(result);
            if (exceeded == null && cost > maxCost) {
                exceeded = Reason.COST;
            } else if (exceeded == null && clock.getAsLong() - deadline > 0) {
                exceeded = Reason.TIME;
            }
            if (exceeded != null) {
                throw new Exceeded(exceeded);
            }
        }

        Reason exceeded() {
            return exceeded;
        }

        private static long size(Object value) {
            if (value instanceof String string) {
                return string.length() >> 10;
            }
            if (value instanceof com.google.protobuf.ByteString bytes) {
                return bytes.size() >> 10;
            }
            if (value instanceof Collection<?> collection) {
                return collection.size();
            }
            if (value instanceof Map<?, ?> map) {
                return map.size();
            }
            return 0;
        }
    }

    /** Thrown from the listener to stop CEL's interpreter; CEL wraps it in its evaluation error. */
    static final class Exceeded extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Exceeded(Reason reason) {
            super(
                    "the filter exceeded its budget (" + reason.name().toLowerCase(java.util.Locale.ROOT) + ")",
                    null,
                    false,
                    false);
        }
    }
}
