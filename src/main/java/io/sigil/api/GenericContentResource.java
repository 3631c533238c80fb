package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.common.ApiException;
import io.sigil.common.Prn;
import io.sigil.common.Sql;
import io.sigil.content.ContentType;
import io.sigil.repository.Hrefs;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Pulp's generic {@code /content/}: units of every type, each with its type-specific href; narrowed to one
 * repository version or to some types ({@code pulp_type__in=container.tag,container.manifest}).
 */
@Path("/pulp/api/v3/content/")
@Produces(MediaType.APPLICATION_JSON)
public class GenericContentResource {

    @Inject
    EntityManager em;
    @Inject
    RepositoryService repositories;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UnitView(String pulpHref, String prn, OffsetDateTime pulpCreated, String pulpType) {
    }

    @GET
    @Transactional
    @Operation(operationId = "content_list", summary = "List content units of every type")
    public Page<UnitView> list(@QueryParam("repository_version") String repositoryVersion,
                               @QueryParam("pulp_type__in") String types,
                               @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                               @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        List<String> typeNames = types == null ? null : Arrays.stream(types.split(",")).map(String::trim)
                .filter(t -> !t.isEmpty()).toList();
        if (typeNames != null) {
            typeNames.forEach(t -> {
                if (Arrays.stream(ContentType.values()).noneMatch(c -> c.pulpType().equals(t))) {
                    throw ApiException.field("pulp_type__in", "\"" + t + "\" is not a content type");
                }
            });
        }
        StringBuilder where = new StringBuilder(" WHERE (CAST(? AS text[]) IS NULL OR c.pulp_type = ANY(CAST(? AS text[])))");
        List<Object> parameters = new ArrayList<>();
        if (repositoryVersion != null) {
            Hrefs.VersionRef ref = ContentResource.version("repository_version", repositoryVersion);
            Repository repository = repositories.get(ref.repository());
            repositories.version(ref.repository(), ref.number());
            where.append(" AND c.id IN (SELECT rc.content_id FROM repository_content rc WHERE rc.repository_id = ? "
                    + "AND rc.version_added <= ? AND (rc.version_removed IS NULL OR rc.version_removed > ?))");
            parameters.addAll(List.of(repository.id, ref.number(), ref.number()));
        }
        return Sql.with(em, sql -> {
            Object typeArray = typeNames == null ? null : sql.texts(typeNames);
            List<Object> countParameters = new ArrayList<>(Arrays.asList(typeArray, typeArray));
            countParameters.addAll(parameters);
            long count = sql.query("SELECT count(*) FROM content c" + where, rs -> rs.getLong(1),
                    countParameters.toArray()).get(0);
            List<Object> pageParameters = new ArrayList<>(countParameters);
            pageParameters.addAll(List.of(page.limit(), page.offset()));
            List<UnitView> units = sql.query("SELECT c.pulp_id, c.pulp_type, c.pulp_created FROM content c" + where
                    + " ORDER BY c.id LIMIT ? OFFSET ?", rs -> {
                        UUID id = rs.getObject(1, UUID.class);
                        String type = rs.getString(2);
                        return new UnitView(ContentType.ofPulpType(type).href(id), Prn.ofContent(type, id),
                                rs.getObject(3, OffsetDateTime.class), type);
                    }, pageParameters.toArray());
            return Page.of(uri, page, count, units);
        });
    }
}
