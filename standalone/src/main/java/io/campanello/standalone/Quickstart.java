package io.campanello.standalone;

import java.time.Duration;

/** What the standalone prints once it is ready: where everything is, the API key, and commands to copy. */
final class Quickstart {

    private Quickstart() {}

    static String text(StandaloneSettings s, Duration startup) {
        String keyLine = s.apiKeyGenerated()
                ? s.apiKey() + "   (generated; set CAMPANELLO_API_KEY to choose one)"
                : "from CAMPANELLO_API_KEY";
        String export = s.apiKeyGenerated() ? "export CAMPANELLO_API_KEY=" + s.apiKey() + "\n\n  " : "";
        return """

                Campanello is ready (started in %.1f s). Ctrl-C stops it.

                  Kafka          127.0.0.1:%d   (data in %s)
                  ingest         http://localhost:%d/v1/events
                  subscriptions  http://localhost:%d/v1/subscriptions
                  dispatcher     http://localhost:%d/actuator/health
                  retry          http://localhost:%d/actuator/health
                  history        http://localhost:%d/v1/subscriptions/{id}/deliveries
                  inspector      http://localhost:%d/bins/demo   (a local receiver to subscribe)
                  console        http://localhost:%d   (log in with the API key)
                  API key        %s

                Try it:

                  %scurl -s -X POST http://localhost:%d/v1/subscriptions \\
                    -H "Authorization: Bearer $CAMPANELLO_API_KEY" -H 'Content-Type: application/json' \\
                    -d '{"url": "http://localhost:%d/bins/demo", "eventTypes": ["order.*"], "activate": true}'

                  curl -s -X POST http://localhost:%d/v1/events \\
                    -H "Authorization: Bearer $CAMPANELLO_API_KEY" -H 'Content-Type: application/json' \\
                    -d '{"type": "order.created", "subject": "order-42", "data": {"amount": 150}}'

                  curl -s http://localhost:%d/bins/demo/requests     (or open http://localhost:%d/bins/demo)
                """.formatted(
                        startup.toMillis() / 1000.0,
                        s.kafkaPort(),
                        s.dataDir().toAbsolutePath().normalize(),
                        s.ingestPort(),
                        s.subscriptionsPort(),
                        s.dispatcherPort(),
                        s.retryPort(),
                        s.historyPort(),
                        s.inspectorPort(),
                        s.consolePort(),
                        keyLine,
                        export,
                        s.subscriptionsPort(),
                        s.inspectorPort(),
                        s.ingestPort(),
                        s.inspectorPort(),
                        s.inspectorPort());
    }
}
