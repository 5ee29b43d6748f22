package io.campanello.retry.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.api.ApiException;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.ReplayJob;
import io.campanello.schemas.v1.ReplayState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayAdmissionTest {

    private final ReplayAdmission admission = new ReplayAdmission(new ReplayProperties(1, 2));

    @Test
    void countsTheRunningJobsOfEveryInstanceNotOnlyThoseRunHere() {
        List<ReplayJob> table = List.of(job("acme", ReplayState.RUNNING), job("globex", ReplayState.RUNNING));

        assertThatThrownBy(() -> admission.admit(job("initech", ReplayState.RUNNING), table))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("too_many_replays"));
    }

    @Test
    void refusesASecondJobOfATenantAtItsLimitAndIgnoresEndedJobs() {
        List<ReplayJob> table = List.of(job("acme", ReplayState.RUNNING), job("acme", ReplayState.COMPLETED));

        assertThatThrownBy(() -> admission.admit(job("acme", ReplayState.RUNNING), table))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("quota_exceeded"));
        admission.admit(job("globex", ReplayState.RUNNING), table);
    }

    @Test
    void aJobBeingWrittenHoldsItsPlaceUntilItsWriteEnds() {
        ReplayJob first = job("acme", ReplayState.RUNNING);
        admission.admit(first, List.of());

        assertThatThrownBy(() -> admission.admit(job("acme", ReplayState.RUNNING), List.of()))
                .isInstanceOf(ApiException.class);
        admission.written(first.getId());
        admission.admit(job("acme", ReplayState.RUNNING), List.of());
    }

    private static ReplayJob job(String tenant, ReplayState state) {
        return ReplayJob.newBuilder()
                .setId(Ids.newReplayId())
                .setTenant(tenant)
                .setState(state)
                .setEndOffsets(Map.of())
                .setPositions(Map.of())
                .setCreatedAt(Instant.now())
                .build();
    }
}
