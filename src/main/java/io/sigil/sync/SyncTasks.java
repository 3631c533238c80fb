package io.sigil.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.common.ApiException;
import io.sigil.repository.Repository;
import io.sigil.tasks.TaskDispatcher;
import io.sigil.tasks.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Validates a sync request and dispatches it, locking the repository exclusively and the remote shared. */
@ApplicationScoped
public class SyncTasks {

    public static final String SYNC = "container.sync";

    @Inject
    TaskDispatcher dispatcher;
    @Inject
    RemoteService remotes;
    @Inject
    OutboundAddresses addresses;

    record SyncParameters(UUID repository, UUID remote, boolean mirror) {
    }

    public TaskRef sync(Repository repository, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("a JSON object body is required ({} syncs from the repository's remote)");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!Set.of("remote", "mirror").contains(field)) {
                throw ApiException.field(field, "unknown field");
            }
        });
        JsonNode mirror = body.get("mirror");
        if (mirror != null && !mirror.isBoolean()) {
            throw ApiException.field("mirror", "must be true or false");
        }
        Remote remote;
        if (body.hasNonNull("remote")) {
            if (!body.get("remote").isTextual()) {
                throw ApiException.field("remote", "must be the href of a remote");
            }
            remote = remotes.byHref("remote", body.get("remote").asText());
        } else if (repository.remoteId != null) { // Pulp: a sync without remote uses the repository's
            remote = remotes.get(repository.remoteId);
        } else {
            throw ApiException.field("remote", "This field is required: the repository has no remote of its own.");
        }
        // Saved before sigil.remotes.allowed-networks changed, or its DNS changed since: refused before any task runs.
        addresses.refusal(java.net.URI.create(remote.url)).ifPresent(refusal -> {
            throw ApiException.field("remote", "the url of remote " + remote.name + " is refused: " + refusal);
        });
        SyncParameters parameters = new SyncParameters(repository.pulpId, remote.pulpId, mirror != null && mirror.asBoolean());
        return dispatcher.dispatch(SYNC, parameters, List.of(repository.resource()), List.of(remote.resource()));
    }
}
