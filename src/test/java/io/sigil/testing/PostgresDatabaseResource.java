package io.sigil.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sigil.common.DatabaseBootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Gives each test run its own fresh PostgreSQL database and storage directory, dropped at the end, so runs never
 * share state (several worktrees or CI runs can test at once on one server).
 */
public class PostgresDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private static final String SERVER = System.getProperty("sigil.test.pg", "jdbc:postgresql://127.0.0.1:5432/");
    private String url;

    @Override
    public Map<String, String> start() {
        String name = "sigil_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        url = SERVER + name;
        DatabaseBootstrap.createDatabaseIfMissing(url, "postgres", "");
        try {
            Path storage = Files.createTempDirectory("sigil-test-storage");
            return Map.of("quarkus.datasource.jdbc.url", url, "sigil.storage.path", storage.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        DatabaseBootstrap.dropDatabase(url, "postgres");
    }
}
