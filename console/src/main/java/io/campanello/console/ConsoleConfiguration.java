package io.campanello.console;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/** The forwarding client and the filters in front of the pages. */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    /**
     * The console's own Netty resources instead of reactor-netty's JVM-wide ones: in the standalone, stopping
     * another service must not stop the console's server and client.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setShutdownQuietPeriod(Duration.ofMillis(100));
        return factory;
    }

    @Bean
    ProblemWriter problemWriter(JsonMapper json) {
        return new ProblemWriter(json);
    }

    @Bean
    Forwarder forwarder(ConsoleProperties properties, ReactorResourceFactory resources, ProblemWriter problems) {
        ReactorClientHttpConnector connector = new ReactorClientHttpConnector(
                resources,
                client -> client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                                properties.connectTimeout().toMillis())
                        .responseTimeout(properties.responseTimeout()));
        WebClient client = WebClient.builder().clientConnector(connector).build();
        return new Forwarder(client, properties.services(), problems);
    }

    @Bean
    PageHeaders pageHeaders() {
        return new PageHeaders();
    }
}
