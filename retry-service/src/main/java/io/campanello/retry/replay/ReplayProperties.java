package io.campanello.retry.replay;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on replays ({@code campanello.replays.*}). Each running replay holds a thread, a consumer and a
 * transactional producer, so they run on a pool of {@code maxRunning} threads and more are refused.
 *
 * @param maxRunningPerTenant how many replays one tenant may have running; one more is refused 429
 *     {@code quota_exceeded}
 * @param maxRunning how many replays may run at once over all tenants; one more is refused 429
 *     {@code too_many_replays}
 */
@Validated
@ConfigurationProperties("campanello.replays")
record ReplayProperties(
        @Min(1) @DefaultValue("2") int maxRunningPerTenant,
        @Min(1) @DefaultValue("8") int maxRunning) {}
