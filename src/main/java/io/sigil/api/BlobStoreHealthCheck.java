package io.sigil.api;

import io.sigil.storage.BlobStore;
import io.sigil.storage.StorageStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness fails while the blob store does not answer: a process that cannot read or write blobs must get no traffic. */
@Readiness
@ApplicationScoped
public class BlobStoreHealthCheck implements HealthCheck {

    @Inject
    BlobStore blobStore;

    @Override
    public HealthCheckResponse call() {
        StorageStatus status = blobStore.status();
        var response = HealthCheckResponse.named("blob store").status(status.reachable()).withData("backend", status.backend());
        if (status.problem() != null) {
            response.withData("problem", status.problem());
        }
        return response.build();
    }
}
