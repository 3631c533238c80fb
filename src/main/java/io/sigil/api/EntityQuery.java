package io.sigil.api;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.sigil.common.Labels;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The HQL of a filtered list: each filter a query parameter gave adds one condition, and {@code pulp_label_select}
 * narrows to the rows whose labels match. Ordered by id, so pages are stable.
 */
final class EntityQuery {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> parameters = new ArrayList<>();

    /** Adds {@code condition} (with one {@code ?} for {@code value}) when the value was given. */
    EntityQuery where(Object value, String condition) {
        if (value != null) {
            parameters.add(value);
            conditions.add(condition.replace("?", "?" + parameters.size()));
        }
        return this;
    }

    /** Narrows to the rows of {@code table} whose labels match {@code select}; empty means no filter, as in DRF. */
    EntityQuery labels(EntityManager em, Labels.Table table, String select) {
        if (select != null && !select.isBlank()) {
            List<Long> ids = Labels.matching(em, table, select);
            where(ids.isEmpty() ? List.of(-1L) : ids, "id in ?");
        }
        return this;
    }

    interface Finder<T> {
        PanacheQuery<T> find(String query, Object... parameters);
    }

    <T> PanacheQuery<T> find(Finder<T> finder) {
        String where = conditions.isEmpty() ? "" : String.join(" and ", conditions) + " ";
        return finder.find(where + "order by id", parameters.toArray());
    }
}
