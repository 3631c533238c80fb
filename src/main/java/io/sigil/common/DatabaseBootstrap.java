package io.sigil.common;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Makes "start the server" the only set-up step: connects to the server's {@code postgres} maintenance database and
 * creates Sigil's database if it does not exist. Liquibase then creates the schema at start-up.
 */
public final class DatabaseBootstrap {

    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]+)(\\?.*)?");

    private DatabaseBootstrap() {
    }

    public static void createDatabaseIfMissing() {
        Config config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        String user = config.getOptionalValue("quarkus.datasource.username", String.class).orElse("postgres");
        String password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
        createDatabaseIfMissing(url, user, password);
    }

    public static void createDatabaseIfMissing(String url, String user, String password) {
        Matcher m = JDBC_URL.matcher(url);
        if (!m.matches()) {
            return; // not a plain PostgreSQL URL: leave it to the operator
        }
        String database = m.group(2);
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        try (Connection c = DriverManager.getConnection(m.group(1) + "postgres", props)) {
            if (!exists(c, database)) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
                }
            }
        } catch (SQLException e) {
            // The database may already exist and the user may lack rights on "postgres"; Quarkus reports real errors.
            System.err.println("sigil: could not check or create database " + database + ": " + e.getMessage());
        }
    }

    public static void dropDatabase(String url, String user) {
        Matcher m = JDBC_URL.matcher(url);
        if (!m.matches()) {
            return;
        }
        Properties props = new Properties();
        props.setProperty("user", user);
        try (Connection c = DriverManager.getConnection(m.group(1) + "postgres", props);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + m.group(2) + "\" WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("sigil: could not drop database " + m.group(2) + ": " + e.getMessage());
        }
    }

    private static boolean exists(Connection c, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
