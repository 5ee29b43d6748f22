package io.campanello.api;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says at startup which API keys conflict and what to do, instead of a stack trace. */
public class ConflictingApiKeysFailureAnalyzer extends AbstractFailureAnalyzer<ConflictingApiKeysException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConflictingApiKeysException cause) {
        return new FailureAnalysis(
                "Campanello's API keys conflict: " + cause.getMessage() + ".",
                "Give each tenant and the operators a key of their own (CAMPANELLO_API_KEY, CAMPANELLO_API_KEYS,"
                        + " CAMPANELLO_ADMIN_API_KEY).",
                cause);
    }
}
