package io.sigil.common;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pulp_labels}: a string → string (or null) map on repositories, distributions and remotes, stored as jsonb.
 * Checks label maps as Pulp does, sets and unsets one label in place, and turns a {@code pulp_label_select}
 * expression into SQL.
 */
public final class Labels {

    /** The tables whose rows carry labels; the API names only these, so no table name comes from a request. */
    public enum Table {
        REPOSITORY("repository"), DISTRIBUTION("distribution"), REMOTE("container_remote");

        private final String name;

        Table(String name) {
            this.name = name;
        }
    }

    private static final Pattern KEY = Pattern.compile("[\\w\\s.-]{1,255}", Pattern.UNICODE_CHARACTER_CLASS);
    private static final int MAX_VALUE = 4096;
    /** One term: {@code key}, {@code !key}, {@code key=value}, {@code key!=value} or {@code key~substring}. */
    private static final Pattern TERM = Pattern.compile("(!?)([\\w\\s.-]+?)(?:(=|!=|~)(.*))?",
            Pattern.UNICODE_CHARACTER_CLASS | Pattern.DOTALL);
    private static final Pattern UNESCAPED_COMMA = Pattern.compile("(?<!\\\\),");

    private Labels() {
    }

    /** A label map from a request body field; null when absent or null. 400 naming {@code field} when malformed. */
    public static Map<String, String> read(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ApiException.field(field, "must be an object of label names to string values");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            JsonNode value = entry.getValue();
            if (!value.isNull() && !value.isTextual()) {
                throw ApiException.field(field, "the value of label '" + entry.getKey() + "' must be a string or null");
            }
            labels.put(entry.getKey(), value.isNull() ? null : value.textValue());
        }
        check(field, labels);
        return labels;
    }

    /** Refuses keys Pulp refuses (only letters, digits, '_', '-', '.' and spaces) and oversized values. */
    public static void check(String field, Map<String, String> labels) {
        labels.forEach((key, value) -> {
            checkKey(field, key);
            if (value != null && value.length() > MAX_VALUE) {
                throw ApiException.field(field, "the value of label '" + key + "' is longer than " + MAX_VALUE + " characters");
            }
        });
    }

    public static void checkKey(String field, String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw ApiException.field(field, "label key '" + key + "' must be 1 to 255 letters, digits, '_', '-', '.' or spaces");
        }
    }

    /** Sets one label; false when no row has that id. Runs in the caller's transaction. */
    public static boolean set(EntityManager em, Table table, UUID id, String key, String value) {
        return em.createNativeQuery("UPDATE " + table.name + " SET pulp_labels = pulp_labels || jsonb_build_object(CAST(?1 AS text), CAST(?2 AS text)) "
                        + "WHERE pulp_id = ?3")
                .setParameter(1, key).setParameter(2, value).setParameter(3, id).executeUpdate() == 1;
    }

    public static boolean exists(EntityManager em, Table table, UUID id) {
        return !em.createNativeQuery("SELECT 1 FROM " + table.name + " WHERE pulp_id = ?1").setParameter(1, id)
                .getResultList().isEmpty();
    }

    /** Removes one label, returning the value it had; empty when the row does not carry it. */
    public static Optional<Optional<String>> unset(EntityManager em, Table table, UUID id, String key) {
        @SuppressWarnings("unchecked")
        List<Object[]> old = em.createNativeQuery("SELECT jsonb_exists(pulp_labels, ?1), pulp_labels ->> ?1 FROM "
                        + table.name + " WHERE pulp_id = ?2 FOR UPDATE")
                .setParameter(1, key).setParameter(2, id).getResultList();
        if (old.isEmpty() || !Boolean.TRUE.equals(old.get(0)[0])) {
            return Optional.empty();
        }
        em.createNativeQuery("UPDATE " + table.name + " SET pulp_labels = pulp_labels - CAST(?1 AS text) WHERE pulp_id = ?2")
                .setParameter(1, key).setParameter(2, id).executeUpdate();
        return Optional.of(Optional.ofNullable((String) old.get(0)[1]));
    }

    /** The row ids of {@code table} whose labels match {@code select}; 400 naming pulp_label_select when invalid. */
    @SuppressWarnings("unchecked")
    public static List<Long> matching(EntityManager em, Table table, String select) {
        Selection selection = parse(select);
        var query = em.createNativeQuery("SELECT id FROM " + table.name + " WHERE " + selection.condition(), Long.class);
        for (int i = 0; i < selection.parameters().size(); i++) {
            query.setParameter(i + 1, selection.parameters().get(i));
        }
        return query.getResultList();
    }

    /** A SQL condition over a {@code pulp_labels} column with its positional parameters (?1, ?2, ...). */
    public record Selection(String condition, List<String> parameters) {
    }

    public static Selection parse(String select) {
        if (select == null || select.isBlank()) {
            throw invalid("an empty expression");
        }
        List<String> conditions = new ArrayList<>();
        List<String> parameters = new ArrayList<>();
        for (String raw : UNESCAPED_COMMA.split(select, -1)) {
            String term = raw.replace("\\,", ",").strip();
            Matcher m = TERM.matcher(term);
            if (!m.matches()) {
                throw invalid("'" + term + "'");
            }
            boolean negated = !m.group(1).isEmpty();
            String key = m.group(2).strip();
            String operator = m.group(3);
            if (negated && operator != null) {
                throw ApiException.field("pulp_label_select", "cannot use an operator with '!" + key + "'");
            }
            parameters.add(key);
            int k = parameters.size();
            if (operator == null) {
                conditions.add((negated ? "NOT " : "") + "jsonb_exists(pulp_labels, ?" + k + ")");
                continue;
            }
            String value = m.group(4);
            switch (operator) {
                case "=" -> {
                    parameters.add(value);
                    conditions.add("pulp_labels ->> ?" + k + " = ?" + (k + 1));
                }
                case "!=" -> {
                    parameters.add(value);
                    conditions.add("jsonb_exists(pulp_labels, ?" + k + ") AND pulp_labels ->> ?" + k
                            + " IS DISTINCT FROM ?" + (k + 1));
                }
                default -> {
                    parameters.add("%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
                    conditions.add("pulp_labels ->> ?" + k + " ILIKE ?" + (k + 1));
                }
            }
        }
        return new Selection("(" + String.join(") AND (", conditions) + ")", parameters);
    }

    private static ApiException invalid(String what) {
        return ApiException.field("pulp_label_select", "Invalid search term: " + what
                + "; use key, !key, key=value, key!=value or key~substring, separated by commas");
    }
}
