package io.campanello.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds the defaults every Campanello service shares ({@code META-INF/campanello/defaults.properties} of each shared
 * module) as the last property source, so that a service's own file, the environment and the command line all
 * override them, and no service copies them.
 */
public class CampanelloDefaults implements EnvironmentPostProcessor {

    private static final String LOCATION = "classpath*:META-INF/campanello/defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources(LOCATION);
            for (Resource resource : resources) {
                environment
                        .getPropertySources()
                        .addLast(new ResourcePropertySource("campanello-defaults " + resource.getURL(), resource));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
