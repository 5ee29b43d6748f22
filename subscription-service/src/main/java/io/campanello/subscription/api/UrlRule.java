package io.campanello.subscription.api;

import java.net.URI;
import java.util.Optional;

/** Whether Campanello may call a URL; the reason when it may not. */
@FunctionalInterface
interface UrlRule {

    Optional<String> refusal(URI url);
}
