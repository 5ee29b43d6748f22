package io.campanello.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Every long-running consumer of a service either recovers or turns the service's liveness DOWN: each
 * {@link ConsumerLoop} bean restarts by {@link ConsumerRecovery} and reports to {@link Liveness} when it gives up;
 * a spring-kafka listener container that stops for good does the same ({@link ListenerContainerLiveness}).
 */
@AutoConfiguration
@EnableConfigurationProperties(ConsumerRecovery.class)
public class ConsumerLivenessAutoConfiguration {

    @Bean
    Liveness campanelloLiveness(ApplicationEventPublisher events) {
        return new Liveness(events);
    }

    @Bean
    ListenerContainerLiveness listenerContainerLiveness(Liveness campanelloLiveness) {
        return new ListenerContainerLiveness(campanelloLiveness);
    }

    /** Static and lazy, so that post-processing every bean does not create the ones it needs too early. */
    @Bean
    static BeanPostProcessor consumerLoopSupervision(
            ObjectProvider<ConsumerRecovery> recovery,
            ObjectProvider<Liveness> liveness,
            ObjectProvider<MeterRegistry> meters) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof ConsumerLoop loop) {
                    loop.supervise(
                            recovery.getObject(),
                            liveness.getObject(),
                            meters.getIfAvailable(() -> Metrics.globalRegistry));
                }
                return bean;
            }
        };
    }
}
