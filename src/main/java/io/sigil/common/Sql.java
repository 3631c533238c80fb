package io.sigil.common;

import jakarta.persistence.EntityManager;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.hibernate.Session;

/**
 * Plain JDBC on the current transaction's connection, for the set-based queries that Hibernate does not express
 * well (arrays, ranges). Everything stays in the caller's transaction.
 */
public final class Sql {

    private final Connection connection;

    private Sql(Connection connection) {
        this.connection = connection;
    }

    /** Queries on a connection the caller owns (e.g. an autocommit read outside any transaction). */
    public static Sql on(Connection connection) {
        return new Sql(connection);
    }

    public static <T> T with(EntityManager em, SqlWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(c -> work.run(new Sql(c)));
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Sql sql) throws SQLException;
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public Array ids(Collection<Long> ids) throws SQLException {
        return connection.createArrayOf("bigint", ids.toArray());
    }

    public Array uuids(Collection<java.util.UUID> values) throws SQLException {
        return connection.createArrayOf("uuid", values.toArray());
    }

    public Array texts(Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
            return rows;
        }
    }

    public int update(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** Runs one statement for many rows as a JDBC batch: one round trip instead of one per row. */
    public void batch(String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
