package io.campanello.retry.replay;

import io.campanello.api.ApiException;
import io.campanello.schemas.v1.ReplayJob;
import io.campanello.schemas.v1.ReplayState;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;

/**
 * Whether a new replay may start: the places taken are the running jobs of every instance (as this instance's table
 * of webhooks.replays knows them) and the jobs accepted here that are still being written. Two starts racing at the
 * limit on two instances may both pass.
 */
final class ReplayAdmission {

    private final ReplayProperties limits;
    /** Jobs accepted here and being written: they count against the limits before the table has them. */
    private final Map<String, ReplayJob> pending = new ConcurrentHashMap<>();

    ReplayAdmission(ReplayProperties limits) {
        this.limits = limits;
    }

    /** Takes a place for {@code job}, or refuses it when its tenant or the service has no room left. */
    synchronized void admit(ReplayJob job, Collection<ReplayJob> known) {
        List<ReplayJob> live = known.stream()
                .filter(other -> other.getState() == ReplayState.RUNNING)
                .filter(other -> !pending.containsKey(other.getId()))
                .collect(Collectors.toList());
        live.addAll(pending.values());
        if (live.size() >= limits.maxRunning()) {
            throw new ApiException(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "too_many_replays",
                    limits.maxRunning() + " replays are running, the most this service runs at once; retry later");
        }
        long ofTenant = live.stream()
                .filter(other -> Objects.equals(other.getTenant(), job.getTenant()))
                .count();
        if (ofTenant >= limits.maxRunningPerTenant()) {
            throw ApiException.quotaExceeded(
                    "running_replays_per_tenant",
                    limits.maxRunningPerTenant(),
                    "the tenant has " + ofTenant + " replays running, the most allowed is "
                            + limits.maxRunningPerTenant() + "; wait for one to finish or cancel one");
        }
        pending.put(job.getId(), job);
    }

    /** The job's write ended (in the table now, or failed): it no longer needs a place of its own. */
    void written(String jobId) {
        pending.remove(jobId);
    }
}
