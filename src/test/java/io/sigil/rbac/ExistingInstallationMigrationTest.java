package io.sigil.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sigil.common.DatabaseBootstrap;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Migration 020 on an installation made before roles existed: repositories get the user of their first task (else
 * the admin) as owner, distributions their repository's owner and keep their private flag, namespaces in use get
 * owners, remotes the admin; a signing service may sign for what it already signed for, and who signed with it keeps
 * the signer role. Real Liquibase on real PostgreSQL: the changesets before 020, a seeded installation, then 020.
 */
class ExistingInstallationMigrationTest {

    /** Changesets before 020 (001 … 017), applied as an older release would have. */
    private static final int BEFORE_ROLES = 17;

    private final String url = System.getProperty("sigil.test.pg", "jdbc:postgresql://127.0.0.1:5432/")
            + "sigil_migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeEach
    void createDatabase() {
        DatabaseBootstrap.createDatabaseIfMissing(url, "postgres", "");
    }

    @AfterEach
    void dropDatabase() {
        DatabaseBootstrap.dropDatabase(url, "postgres");
    }

    @Test
    void existingObjectsGetOwnersAndServicesKeepWhatTheySigned() throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase("changelog.xml", new ClassLoaderResourceAccessor(), database);
            liquibase.update(BEFORE_ROLES, new Contexts(), new LabelExpression());
            try (Statement statement = connection.createStatement()) {
                assertEquals(0, count(statement, "information_schema.tables WHERE table_name = 'role_assignment'"));
                statement.execute(new String(getClass().getResourceAsStream("/rbac-pre-020-installation.sql").readAllBytes(),
                        StandardCharsets.UTF_8));
            }
            liquibase.update(new Contexts(), new LabelExpression());

            try (Statement statement = connection.createStatement()) {
                assertEquals(List.of(
                        "container.containerdistribution_owner admin bob/pushed",
                        "container.containerdistribution_owner alice team/app",
                        "container.containernamespace_owner admin bob",
                        "container.containernamespace_owner alice team",
                        "container.containerremote_owner admin up",
                        "container.containerrepository_owner admin bob/pushed",
                        "container.containerrepository_owner alice team/app",
                        "sigil.signingservice_signer alice org"), rows(statement, """
                        SELECT r.name || ' ' || u.username || ' ' || COALESCE(d.base_path, n.name, m.name, p.name, s.name)
                        FROM role_assignment a JOIN sigil_role r ON r.id = a.role_id JOIN sigil_user u ON u.id = a.user_id
                        LEFT JOIN distribution d ON d.pulp_id::text = a.object_id
                        LEFT JOIN container_namespace n ON n.pulp_id::text = a.object_id
                        LEFT JOIN container_remote m ON m.pulp_id::text = a.object_id
                        LEFT JOIN repository p ON p.pulp_id::text = a.object_id
                        LEFT JOIN signing_service s ON s.pulp_id::text = a.object_id
                        ORDER BY 1"""));
                assertEquals(List.of("team/app true", "bob/pushed false"),
                        rows(statement, "SELECT base_path || ' ' || private FROM distribution ORDER BY id"));
                // Only the completed sign task counts: the failed one's reference stays out.
                assertEquals(List.of("{registry.example.com/team/app}"),
                        rows(statement, "SELECT allowed_references::text FROM signing_service"));
            }
        }
    }

    private static long count(Statement statement, String from) throws Exception {
        try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> rows(Statement statement, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
