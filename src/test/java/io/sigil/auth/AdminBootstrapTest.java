package io.sigil.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class AdminBootstrapTest {

    @Inject
    UserService users;

    @Test
    void existingAdminIsLeftAlone() {
        assertFalse(users.createAdminIfAbsent(TestUsers.ADMIN, "another-password"));
        assertTrue(users.verify(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).isPresent());
        assertTrue(users.verify(TestUsers.ADMIN, "another-password").isEmpty());
    }

    @Test
    void concurrentStartsCreateExactlyOneAdmin() throws Exception {
        String name = TestUsers.uniqueName("boot");
        int racers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                Callable<Boolean> race = () -> {
                    start.await();
                    return users.createAdminIfAbsent(name, "boot-pass");
                };
                results.add(pool.submit(race));
            }
            start.countDown();
            int created = 0;
            for (Future<Boolean> result : results) {
                created += result.get() ? 1 : 0; // an exception here (unique violation) fails the test
            }
            assertEquals(1, created);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, users.count(name));
        assertTrue(users.verify(name, "boot-pass").orElseThrow().admin());
    }
}
