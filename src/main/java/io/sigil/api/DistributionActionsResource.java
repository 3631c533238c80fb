package io.sigil.api;

import io.sigil.auth.Perm;
import io.sigil.common.Labels;
import io.sigil.registry.Distribution;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Label actions on one distribution. */
@Path(Distribution.HREFS + "{id}/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DistributionActionsResource {

    @Inject
    DistributionResource container;

    @Inject
    LabelActions labels;

    @POST
    @Path("set_label/")
    @Operation(operationId = "distributions_container_container_set_label", summary = "Set a label on a distribution")
    @ResponseStatus(201)
    public LabelActions.LabelView setLabel(@PathParam("id") UUID id, @Valid @NotNull LabelActions.SetLabelRequest request) {
        container.allowed(id, Perm.CHANGE_DISTRIBUTION, "label this distribution");
        return labels.set(Labels.Table.DISTRIBUTION, "distribution", id, request);
    }

    @POST
    @Path("unset_label/")
    @Operation(operationId = "distributions_container_container_unset_label", summary = "Remove a label from a distribution")
    @ResponseStatus(201)
    public LabelActions.LabelView unsetLabel(@PathParam("id") UUID id, @Valid @NotNull LabelActions.UnsetLabelRequest request) {
        container.allowed(id, Perm.CHANGE_DISTRIBUTION, "label this distribution");
        return labels.unset(Labels.Table.DISTRIBUTION, "distribution", id, request);
    }
}
