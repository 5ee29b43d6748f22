package io.campanello.subscription.filter;

import com.google.protobuf.Timestamp;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.campanello.schemas.v1.EventEnvelope;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * A subscription's filter: a CEL expression over the event, compiled and type-checked once, evaluated per event.
 * Variables: {@code type}, {@code subject}, {@code source} (strings, empty when absent), {@code time} (timestamp),
 * {@code data} (the event's JSON data) and {@code attributes} (extension attributes, map of strings). Evaluation
 * is bounded: the expression's size, its nesting and the iterations of its macros are limited, and each evaluation
 * is cut when it goes over its {@link EvaluationBudget}.
 */
public final class EventFilter {

    private static final int MAX_LENGTH = 2_000;
    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(1_000)
            .maxExpressionCodePointSize(MAX_LENGTH)
            .maxParseRecursionDepth(32)
            .build();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("type", SimpleType.STRING)
            .addVar("subject", SimpleType.STRING)
            .addVar("source", SimpleType.STRING)
            .addVar("time", SimpleType.TIMESTAMP)
            .addVar("data", SimpleType.DYN)
            .addVar("attributes", MapType.create(SimpleType.STRING, SimpleType.STRING))
            .setResultType(SimpleType.BOOL)
            .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    /** A filter no event passes. */
    public static final EventFilter NEVER = compileConstant("false");

    private final String expression;
    private final CelRuntime.Program program;

    private EventFilter(String expression, CelRuntime.Program program) {
        this.expression = expression;
        this.program = program;
    }

    /**
     * Compiles and type-checks an expression.
     *
     * @throws InvalidFilterException with the position and reason of the first errors
     */
    public static EventFilter compile(String expression) throws InvalidFilterException {
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidFilterException("the filter is longer than " + MAX_LENGTH + " characters");
        }
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return new EventFilter(expression, RUNTIME.createProgram(ast));
        } catch (CelValidationException e) {
            throw new InvalidFilterException(
                    e.getErrors().stream().limit(3).map(EventFilter::describe).collect(Collectors.joining("; ")));
        } catch (CelEvaluationException e) {
            throw new InvalidFilterException("the filter cannot be evaluated: " + e.getMessage());
        }
    }

    private static EventFilter compileConstant(String expression) {
        try {
            return compile(expression);
        } catch (InvalidFilterException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(CelIssue issue) {
        var at = issue.getSourceLocation();
        return "at line " + at.getLine() + ", column " + at.getColumn() + ": " + issue.getMessage();
    }

    public String expression() {
        return expression;
    }

    /**
     * The variables of one event, prepared once and shared by every filter it is evaluated against.
     *
     * @throws FilterEvaluationException when the event's data is not JSON
     */
    public static Map<String, Object> variables(EventEnvelope event, ObjectMapper json)
            throws FilterEvaluationException {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("type", event.getType());
        variables.put("subject", event.getSubject() == null ? "" : event.getSubject());
        variables.put("source", event.getSource() == null ? "" : event.getSource());
        variables.put(
                "time",
                Timestamp.newBuilder()
                        .setSeconds(event.getTime().getEpochSecond())
                        .setNanos(event.getTime().getNano())
                        .build());
        variables.put("data", data(event, json));
        variables.put("attributes", event.getAttributes());
        return variables;
    }

    /**
     * Whether the event passes the filter.
     *
     * @throws FilterEvaluationException when the expression fails on this event (a missing field, a wrong type)
     */
    public boolean matches(EventEnvelope event, ObjectMapper json) throws FilterEvaluationException {
        return matches(variables(event, json));
    }

    /** Whether an event, given as its {@link #variables}, passes the filter within the default budget. */
    public boolean matches(Map<String, Object> variables) throws FilterEvaluationException {
        return matches(variables, EvaluationBudget.DEFAULT);
    }

    /**
     * Whether an event, given as its {@link #variables}, passes the filter.
     *
     * @throws FilterCutException when the evaluation went over the budget (it was stopped there)
     * @throws FilterEvaluationException when the expression fails on this event
     */
    public boolean matches(Map<String, Object> variables, EvaluationBudget budget) throws FilterEvaluationException {
        try {
            return evaluate(variables, budget.start());
        } catch (FilterCutException cut) {
            if (cut.reason() != EvaluationBudget.Reason.TIME) {
                throw cut;
            }
            // The wall clock also counts pauses that were not this evaluation's doing: see EvaluationBudget.
            return evaluate(variables, budget.startOnCpuClock());
        }
    }

    private boolean evaluate(Map<String, Object> variables, EvaluationBudget.Meter meter)
            throws FilterEvaluationException {
        Object result;
        try {
            result = program.trace(variables, meter);
        } catch (CelEvaluationException e) {
            if (meter.exceeded() != null) {
                throw new FilterCutException(meter.exceeded());
            }
            throw new FilterEvaluationException(e.getMessage());
        }
        // CEL's || and && absorb an error on one side when the other decides: a cut still counts as a cut.
        if (meter.exceeded() != null) {
            throw new FilterCutException(meter.exceeded());
        }
        return Boolean.TRUE.equals(result);
    }

    private static Object data(EventEnvelope event, ObjectMapper json) throws FilterEvaluationException {
        if (event.getData() == null) {
            return Map.of();
        }
        try {
            return normalize(json.readValue(event.getData(), Object.class));
        } catch (JacksonException e) {
            throw new FilterEvaluationException("the event's data is not JSON");
        }
    }

    /** CEL-Java takes Long for int and Double for double: widen what Jackson produced. */
    static Object normalize(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, normalize(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(element -> out.add(normalize(element)));
            return out;
        }
        return value;
    }

    /** The filter failed on one event: for that event it means "no match". */
    public static class FilterEvaluationException extends Exception {

        private static final long serialVersionUID = 1L;

        FilterEvaluationException(String message) {
            super(message);
        }
    }

    /** The evaluation went over its {@link EvaluationBudget} and was stopped: for that event it means "no match". */
    public static final class FilterCutException extends FilterEvaluationException {

        private static final long serialVersionUID = 1L;

        private final EvaluationBudget.Reason reason;

        FilterCutException(EvaluationBudget.Reason reason) {
            super("the filter was cut: it went over its " + (reason == EvaluationBudget.Reason.COST ? "cost" : "time")
                    + " budget");
            this.reason = reason;
        }

        public EvaluationBudget.Reason reason() {
            return reason;
        }
    }
}
