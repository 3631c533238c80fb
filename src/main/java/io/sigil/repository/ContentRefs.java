package io.sigil.repository;

import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves content hrefs given by clients to unit ids, refusing unknown or malformed ones by name. */
@ApplicationScoped
public class ContentRefs {

    private static final Pattern CONTENT_HREF = Pattern.compile(
            "/pulp/api/v3/content/container/(blobs|manifests|tags|signatures)/([0-9a-f-]{36})/");

    @Inject
    EntityManager em;

    @Transactional
    public Set<Long> resolve(String field, List<String> hrefs) {
        if (hrefs == null || hrefs.isEmpty()) {
            return new HashSet<>();
        }
        Map<UUID, String> byId = new HashMap<>();
        for (String href : hrefs) {
            Matcher m = href == null ? null : CONTENT_HREF.matcher(href);
            if (m == null || !m.matches()) {
                throw ApiException.field(field, "'" + href + "' is not a content href");
            }
            byId.put(UUID.fromString(m.group(2)), href);
        }
        Map<UUID, Long> found = new HashMap<>();
        Sql.with(em, sql -> sql.query("SELECT pulp_id, id FROM content WHERE pulp_id = ANY(?)",
                rs -> found.put(rs.getObject(1, UUID.class), rs.getLong(2)),
                sql.uuids(byId.keySet())));
        List<String> unknown = new ArrayList<>();
        byId.forEach((id, href) -> {
            if (!found.containsKey(id)) {
                unknown.add(href);
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiException.field(field, "unknown content: " + String.join(", ", unknown));
        }
        return new HashSet<>(found.values());
    }
}
