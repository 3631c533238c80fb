package io.sigil.auth;

import static io.sigil.auth.AuthorizationFilter.Verdict.ALLOW;
import static io.sigil.auth.AuthorizationFilter.Verdict.FORBIDDEN;
import static io.sigil.auth.AuthorizationFilter.Verdict.UNAUTHENTICATED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AuthorizationRulesTest {

    private static final Caller ANON = Caller.ANONYMOUS;
    private static final Caller USER = new Caller("alice", false);
    private static final Caller ADMIN = new Caller("root", true);

    @Test
    void undeclaredLevelFollowsTheHttpMethod() {
        assertEquals(AccessLevel.READ, AuthorizationFilter.effectiveLevel(null, "GET"));
        assertEquals(AccessLevel.READ, AuthorizationFilter.effectiveLevel(null, "HEAD"));
        assertEquals(AccessLevel.READ, AuthorizationFilter.effectiveLevel(null, "OPTIONS"));
        for (String write : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            assertEquals(AccessLevel.WRITE, AuthorizationFilter.effectiveLevel(null, write), write);
        }
    }

    @Test
    void writesNeverNeedLessThanWrite() {
        assertEquals(AccessLevel.WRITE, AuthorizationFilter.effectiveLevel(AccessLevel.PUBLIC, "POST"));
        assertEquals(AccessLevel.WRITE, AuthorizationFilter.effectiveLevel(AccessLevel.READ, "DELETE"));
        assertEquals(AccessLevel.ADMIN, AuthorizationFilter.effectiveLevel(AccessLevel.ADMIN, "PATCH"));
    }

    @Test
    void declaredLevelWinsForReads() {
        assertEquals(AccessLevel.PUBLIC, AuthorizationFilter.effectiveLevel(AccessLevel.PUBLIC, "GET"));
        assertEquals(AccessLevel.ADMIN, AuthorizationFilter.effectiveLevel(AccessLevel.ADMIN, "GET"));
    }

    @Test
    void verdicts() {
        // level, caller, anonymous-read -> verdict
        check(AccessLevel.PUBLIC, ANON, false, ALLOW);
        check(AccessLevel.READ, ANON, false, UNAUTHENTICATED);
        check(AccessLevel.READ, ANON, true, ALLOW);
        check(AccessLevel.READ, USER, false, ALLOW);
        check(AccessLevel.WRITE, ANON, true, UNAUTHENTICATED);
        check(AccessLevel.WRITE, USER, false, ALLOW);
        check(AccessLevel.ADMIN, ANON, true, UNAUTHENTICATED);
        check(AccessLevel.ADMIN, USER, true, FORBIDDEN);
        check(AccessLevel.ADMIN, ADMIN, false, ALLOW);
    }

    private static void check(AccessLevel level, Caller caller, boolean anonymousRead,
                              AuthorizationFilter.Verdict expected) {
        assertEquals(expected, AuthorizationFilter.verdict(level, caller, anonymousRead),
                level + " " + caller + " anonymousRead=" + anonymousRead);
    }
}
