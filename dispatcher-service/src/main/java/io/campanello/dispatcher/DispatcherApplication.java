package io.campanello.dispatcher;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.Subscription;
import io.campanello.urlpolicy.UrlPolicy;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import sun.misc.Signal;

/** The only component that calls subscriber endpoints: signed POSTs, attempt records, retry tiers, dead letters. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DispatcherApplication {

    /** The name of this service's configuration file, {@code dispatcher-service.yml}. */
    public static final String CONFIG_NAME = "dispatcher-service";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(DispatcherApplication.class)
                .main(DispatcherApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        ConfigurableApplicationContext context = application().run(args);
        exitWithStatusOnSigterm(context);
    }

    /**
     * On SIGTERM the JVM would exit with 143 however the stop went. The dispatcher stops (finishes its in-flight
     * deliveries and commits them) and then exits 0, or 1 when a consumer failed meanwhile (liveness broken), so a
     * stop that lost work shows in the exit status.
     */
    @SuppressWarnings("restriction")
    private static void exitWithStatusOnSigterm(ConfigurableApplicationContext context) {
        ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
        Signal.handle(new Signal("TERM"), signal -> {
            context.close();
            System.exit(availability.getLivenessState() == LivenessState.BROKEN ? 1 : 0);
        });
    }

    /** Which endpoints may be called: the same settings as at registration, applied again at connect time. */
    @Bean
    UrlPolicy urlPolicy(UrlPolicyProperties properties) {
        return new UrlPolicy(new UrlPolicy.Settings(properties.allowHttp(), properties.allowList()));
    }

    /**
     * The URL policy settings ({@code campanello.url-policy.*}), shared with the subscription service's registration
     * check.
     *
     * @param allowHttp accept {@code http} URLs, not only {@code https}
     * @param allowList CIDRs or host names permitted although they are internal
     */
    @ConfigurationProperties("campanello.url-policy")
    record UrlPolicyProperties(
            @DefaultValue("false") boolean allowHttp,
            @DefaultValue List<String> allowList) {}

    /** The last known health of every endpoint, so a restart keeps how long each has been failing. */
    @Bean
    TopicTable<EndpointHealth> endpointHealthTable(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        return new TopicTable<>(properties.topics().endpointHealth(), EndpointHealth.class, kafka);
    }

    /** The current URL and secret of every subscription, so retries use what the owner set last. */
    @Bean
    TopicTable<Subscription> subscriptionTable(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        return new TopicTable<>(properties.topics().subscriptions(), Subscription.class, kafka);
    }
}
