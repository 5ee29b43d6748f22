package io.campanello.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls to the services of a cluster test, with the tests' API key. */
final class ClusterApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ClusterApi() {}

    static HttpRequest.Builder request(ServiceProcess service, String path) {
        return HttpRequest.newBuilder(URI.create(service.url() + path))
                .header("Authorization", "Bearer " + ServiceProcesses.API_KEY)
                .header("Content-Type", "application/json");
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs JSON and returns the answer's body, checking its status. */
    static JsonNode post(ServiceProcess service, String path, String json, int expectedStatus) throws Exception {
        HttpResponse<String> answer = send(request(service, path)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expectedStatus);
        return answer.body().isEmpty() ? null : JSON.readTree(answer.body());
    }

    /** A metric of one instance summed over its tags, from its Prometheus page (0 when it is not there yet). */
    static double metric(ServiceProcess service, String name) throws Exception {
        String page = send(HttpRequest.newBuilder(URI.create(service.url() + "/actuator/prometheus"))
                        .build())
                .body();
        return page.lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
