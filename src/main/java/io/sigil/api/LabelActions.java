package io.sigil.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sigil.common.ApiException;
import io.sigil.common.Labels;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
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

    /** The label set, or the one removed with the value it had (null for a label without a value). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LabelView(String key, String value) {
    }

    @Transactional
    public LabelView set(Labels.Table table, String what, UUID id, SetLabelRequest request) {
        Labels.checkKey("key", request.key());
        Labels.check("value", Map.of(request.key(), request.value() == null ? "" : request.value()));
        if (!Labels.set(em, table, id, request.key(), request.value())) {
            throw ApiException.notFound(what + " " + id + " does not exist");
        }
        return new LabelView(request.key(), request.value());
    }

    @Transactional
    public LabelView unset(Labels.Table table, String what, UUID id, UnsetLabelRequest request) {
        var old = Labels.unset(em, table, id, request.key());
        if (old.isEmpty()) {
            if (!Labels.exists(em, table, id)) {
                throw ApiException.notFound(what + " " + id + " does not exist");
            }
            throw ApiException.field("key", "Label '" + request.key() + "' is not set on the " + what + ".");
        }
        return new LabelView(request.key(), old.get().orElse(null));
    }
}
