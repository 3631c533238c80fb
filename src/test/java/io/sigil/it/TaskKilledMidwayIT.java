package io.sigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sigil.common.DatabaseBootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kills a Sigil process with SIGKILL while its task is half-way through writing a repository version, then checks
 * that another process marks the task failed and that nothing of the half-written version remains.
 */
class TaskKilledMidwayIT {

    private static final Map<String, String> FAST_REAPING = Map.of(
            "SIGIL_TASK_WORKERS", "1", "SIGIL_TASKS_HEARTBEAT_INTERVAL", "1s", "SIGIL_TASKS_WORKER_TIMEOUT", "3s");

    private String jdbcUrl;
    private Path storage;

    @BeforeEach
    void database() throws Exception {
        assumeTrue(Files.exists(SigilProcess.JAR), "needs the packaged application (runs in the integration-test phase)");
        jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/sigil_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DatabaseBootstrap.createDatabaseIfMissing(jdbcUrl, "postgres", "");
        storage = Files.createTempDirectory("sigil-it-storage");
    }

    @AfterEach
    void dropDatabase() {
        DatabaseBootstrap.dropDatabase(jdbcUrl, "postgres");
    }

    @Test
    void aTaskWhoseProcessDiesIsFailedByAnotherProcessAndLeavesNoPartialVersion() throws Exception {
        String repository;
        String taskHref;
        try (SigilProcess first = SigilProcess.start(jdbcUrl, storage, FAST_REAPING);
             Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            repository = SigilProcess.field(first.post("/pulp/api/v3/repositories/container/container/", "{\"name\":\"victim\"}").body(), "pulp_href");
            long repositoryId = seedVersionOne(db, repository);
            // Hold an uncommitted membership row for the unit the task will add: the task's version writer gets past
            // its first writes (the removal), then blocks on this row's unique index, mid-transaction.
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                s.executeUpdate("INSERT INTO repository_content (repository_id, content_id, pulp_type, version_added) "
                        + "SELECT " + repositoryId + ", id, 'container.blob', 99 FROM blob WHERE size = 2");
            }
            String body = "{\"add_content_units\":[\"" + contentHref(db, "size = 2") + "\"],"
                    + "\"remove_content_units\":[\"" + contentHref(db, "size = 1") + "\"]}";
            taskHref = SigilProcess.field(first.post(repository + "modify/", body).body(), "task");
            SigilProcess.awaitState(first, taskHref, "running");
            Thread.sleep(500); // let the writer reach the blocked insert
            first.kill();
            db.rollback();
        }
        try (SigilProcess second = SigilProcess.start(jdbcUrl, storage, FAST_REAPING);
             Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            String task = SigilProcess.awaitState(second, taskHref, "failed");
            assertTrue(task.contains("died"), task);
            assertEquals(1, SigilProcess.scalar(db, "SELECT latest_version FROM repository"));
            assertEquals(0, SigilProcess.scalar(db, "SELECT count(*) FROM repository_version WHERE number > 1"));
            assertEquals(0, SigilProcess.scalar(db, "SELECT count(*) FROM repository_content WHERE version_removed IS NOT NULL OR version_added > 1"));
            // The repository is usable again: the same change now succeeds in a new process.
            String body = "{\"add_content_units\":[\"" + contentHref(db, "size = 2") + "\"]}";
            String retry = SigilProcess.field(second.post(repository + "modify/", body).body(), "task");
            SigilProcess.awaitState(second, retry, "completed");
            assertEquals(2, SigilProcess.scalar(db, "SELECT latest_version FROM repository"));
        }
    }

    /** Two blobs (sizes 1 and 2); version 1 of the repository holds the first. */
    private static long seedVersionOne(Connection db, String repositoryHref) throws Exception {
        String uuid = repositoryHref.replaceAll(".*/container/container/([^/]+)/$", "$1");
        try (Statement s = db.createStatement()) {
            for (int size = 1; size <= 2; size++) {
                s.executeUpdate("WITH c AS (INSERT INTO content (pulp_id, pulp_type) VALUES (gen_random_uuid(), 'container.blob') RETURNING id) "
                        + "INSERT INTO blob (id, digest, size) SELECT id, 'sha256:' || encode(sha256(convert_to('it" + size
                        + "', 'UTF8')), 'hex'), " + size + " FROM c");
            }
            long id = SigilProcess.scalar(db, "SELECT id FROM repository WHERE pulp_id = '" + uuid + "'");
            s.executeUpdate("INSERT INTO repository_content (repository_id, content_id, pulp_type, version_added) "
                    + "SELECT " + id + ", id, 'container.blob', 1 FROM blob WHERE size = 1");
            s.executeUpdate("INSERT INTO repository_version (pulp_id, repository_id, number) VALUES (gen_random_uuid(), " + id + ", 1)");
            s.executeUpdate("UPDATE repository SET latest_version = 1 WHERE id = " + id);
            return id;
        }
    }

    private static String contentHref(Connection db, String condition) throws Exception {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.pulp_id FROM content c JOIN blob b ON b.id = c.id WHERE b." + condition)) {
            rs.next();
            return "/pulp/api/v3/content/container/blobs/" + rs.getString(1) + "/";
        }
    }
}
