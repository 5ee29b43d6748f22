package io.campanello.retry.replay;

import io.campanello.api.Tenant;
import io.campanello.retry.OperatorScope;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code /v1/replays}: send dead letters again, selectively, at a set rate, with progress; or cancel. */
@RestController
@RequestMapping("/v1/replays")
class ReplayController {

    private final ReplayJobs jobs;

    ReplayController(ReplayJobs jobs) {
        this.jobs = jobs;
    }

    @PostMapping
    Mono<ResponseEntity<ReplayView>> start(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @RequestBody(required = false) ReplayRequest request) {
        ReplayRequest body = request != null ? request : new ReplayRequest(null, null, null, null);
        return Mono.defer(() -> Mono.fromFuture(jobs.start(OperatorScope.tenantOf(tenant, chosenTenant), body)))
                .subscribeOn(Schedulers.boundedElastic())
                .map(job -> ResponseEntity.accepted()
                        .location(URI.create("/v1/replays/" + job.getId()))
                        .body(ReplayView.of(job)));
    }

    @GetMapping("/{id}")
    ReplayView get(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id) {
        return ReplayView.of(jobs.get(OperatorScope.tenantOf(tenant, chosenTenant), id));
    }

    @DeleteMapping("/{id}")
    ReplayView cancel(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id) {
        return ReplayView.of(jobs.cancel(OperatorScope.tenantOf(tenant, chosenTenant), id));
    }
}
