package io.sigil.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryScopeTest {

    @Test
    void parsesTypeNameAndActions() {
        RegistryScope scope = RegistryScope.parse("repository:library/busybox:pull,push");
        assertEquals("repository", scope.type());
        assertEquals("library/busybox", scope.name());
        assertEquals(List.of("pull", "push"), List.copyOf(scope.actions()));
        assertEquals("repository:library/busybox:pull,push", scope.toString());
    }

    @Test
    void nameMayHoldARegistryPort() {
        RegistryScope scope = RegistryScope.parse("repository:localhost:5000/app:pull");
        assertEquals("localhost:5000/app", scope.name());
        assertEquals(Set.of("pull"), scope.actions());
    }

    @Test
    void rejectsMalformedScopes() {
        for (String bad : new String[] {"repository", "repository:foo", ":foo:pull", "repository::pull",
                "repository:foo:", "repository:foo: , "}) {
            assertThrows(IllegalArgumentException.class, () -> RegistryScope.parse(bad), bad);
        }
    }

    @Test
    void narrowingKeepsOnlyRequestedActions() {
        RegistryScope scope = RegistryScope.repository("app", "pull");
        assertEquals(Set.of("pull"), scope.narrowedTo(Set.of("pull", "push", "delete")).actions());
        assertEquals(Set.of(), scope.narrowedTo(Set.of("push")).actions());
    }
}
