package io.sigil.api;

import io.sigil.common.ApiException;
import io.sigil.common.Labels;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Pulp's {@code set_label/} and {@code unset_label/} on repositories, distributions and remotes: synchronous, one
 * label at a time, answering 201 with {@code {key, value}} (for unset, the value the label had). The endpoints live
 * with each entity's other actions; this bean does the work.
 */
@jakarta.enterprise.context.ApplicationScoped
public class LabelActions {

    @Inject
    EntityManager em;

    /** {@code value} may be null (a label with no value). */
    public record SetLabelRequest(@NotNull(message = "This field is required.") String key, String value) {
    }

    public record UnsetLabelRequest(@NotNull(message = "This field is required.") String key) {
    }

    @Transactional
    public Response set(Labels.Table table, String what, UUID id, SetLabelRequest request) {
        Labels.checkKey("key", request.key());
        Labels.check("value", Map.of(request.key(), request.value() == null ? "" : request.value()));
        if (!Labels.set(em, table, id, request.key(), request.value())) {
            throw ApiException.notFound(what + " " + id + " does not exist");
        }
        return created(request.key(), request.value());
    }

    @Transactional
    public Response unset(Labels.Table table, String what, UUID id, UnsetLabelRequest request) {
        var old = Labels.unset(em, table, id, request.key());
        if (old.isEmpty()) {
            if (!Labels.exists(em, table, id)) {
                throw ApiException.notFound(what + " " + id + " does not exist");
            }
            throw ApiException.field("key", "Label '" + request.key() + "' is not set on the " + what + ".");
        }
        return created(request.key(), old.get().orElse(null));
    }

    private static Response created(String key, String value) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("value", value);
        return Response.status(201).entity(body).build();
    }
}
