package io.sigil.api;

import io.quarkus.panache.common.Parameters;
import io.sigil.common.Labels;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.QueryParam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.List;
import java.util.Locale;

/**
 * Pulp's name filters of a list ({@code name}, {@code name__in}, {@code name__contains}, {@code name__icontains},
 * {@code name__startswith}), taken with {@code @BeanParam}, as one Panache query on an entity with a {@code name}.
 */
public class NameFilter {

    @QueryParam("name")
    public String name;
    @QueryParam("name__in")
    public String nameIn;
    @QueryParam("name__contains")
    public String contains;
    @QueryParam("name__icontains")
    public String icontains;
    @QueryParam("name__startswith")
    public String startswith;

    /** Conditions and their parameters; {@link #text()} and {@link #parameters()} go to {@code Entity.find}. */
    public record Query(List<String> conditions, Parameters parameters) {

        /** One more condition, when its value is given. */
        public Query and(String condition, String parameter, Object value) {
            if (value == null) {
                return this;
            }
            List<String> all = new ArrayList<>(conditions);
            all.add(condition);
            return new Query(all, parameters.and(parameter, value));
        }

        /** Narrows to the rows of {@code table} whose labels match {@code select} (Pulp's pulp_label_select). */
        public Query labels(EntityManager em, Labels.Table table, String select) {
            if (select == null || select.isBlank()) {
                return this;
            }
            List<Long> ids = Labels.matching(em, table, select);
            return and("id in :labelled", "labelled", ids.isEmpty() ? List.of(-1L) : ids);
        }

        /** Narrows to the objects whose pulp ids are listed (what the caller may view); null means every object. */
        public Query within(Set<String> visible) {
            if (visible == null) {
                return this;
            }
            Set<UUID> ids = new HashSet<>();
            ids.add(new UUID(0, 0)); // never empty: "in ()" is not valid
            visible.forEach(id -> ids.add(UUID.fromString(id)));
            return and("pulpId in :visible", "visible", ids);
        }

        /** The conditions alone, for a query that adds its own ("true" when there are none). */
        public String where() {
            return conditions.isEmpty() ? "true" : String.join(" and ", conditions);
        }

        public String text() {
            return (conditions.isEmpty() ? "" : String.join(" and ", conditions) + " ") + "order by id";
        }
    }

    public Query query() {
        List<String> conditions = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (name != null) {
            conditions.add("name = :name");
            parameters.and("name", name);
        }
        if (nameIn != null) {
            conditions.add("name in :names");
            parameters.and("names", Arrays.stream(nameIn.split(",")).map(String::trim).toList());
        }
        if (contains != null) {
            conditions.add("name like :contains escape '!'");
            parameters.and("contains", "%" + escape(contains) + "%");
        }
        if (icontains != null) {
            conditions.add("lower(name) like :icontains escape '!'");
            parameters.and("icontains", "%" + escape(icontains.toLowerCase(Locale.ROOT)) + "%");
        }
        if (startswith != null) {
            conditions.add("name like :startswith escape '!'");
            parameters.and("startswith", escape(startswith) + "%");
        }
        return new Query(conditions, parameters);
    }

    private static String escape(String literal) {
        return literal.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
