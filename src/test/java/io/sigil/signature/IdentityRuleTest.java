package io.sigil.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cases follow the behaviour containers/image documents in signature/policy_reference_match_test.go. */
class IdentityRuleTest {

    private static final String D = "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String OTHER_D = "@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private static String expand(String reference) {
        return reference.replace("{D}", D).replace("{OTHER_D}", OTHER_D);
    }

    @ParameterizedTest(name = "signed {0} / image {1} → {2}")
    @CsvSource({
            "busybox:latest,                   busybox:latest,                   true",
            "library/busybox:latest,           docker.io/library/busybox:latest, true",
            "busybox{D},                       busybox{D},                       true",
            "busybox:latest{D},                busybox:latest{D},                true",
            "busybox:latest,                   busybox:notlatest,                false",
            "busybox:latest,                   busybox{D},                       false",
            "busybox{D},                       busybox{OTHER_D},                 false",
            "busybox:latest{D},                busybox{D},                       false",
            "busybox,                          busybox,                          false",
            "busybox,                          busybox:latest,                   false",
            "INVALID,                          INVALID,                          false",
    })
    void matchExact(String signed, String image, boolean expected) {
        assertEquals(expected, IdentityRule.identityMatches(expand(signed), expand(image), IdentityRule.matchExact()));
    }

    @ParameterizedTest(name = "signed {0} / image {1} → {2}")
    @CsvSource({
            "busybox:latest,                   busybox:latest,                   true",
            "busybox:latest,                   busybox{D},                       true",
            "busybox:latest{D},                busybox{D},                       true",
            "busybox{OTHER_D},                 busybox{D},                       true",
            "busybox:notlatest,                busybox:latest,                   false",
            "busybox{D},                       busybox:latest,                   false",
            "busybox:latest,                   busybox:latest{D},                false",
            "busybox,                          busybox{D},                       false",
            "busybox:latest,                   busybox,                          false",
            "notbusybox:latest,                busybox{D},                       false",
            "testing/manifest:latest,          testing/manifest:latest,          true",
            "testing/manifest:latest,          testing/manifest:notlatest,       false",
    })
    void matchRepoDigestOrExact(String signed, String image, boolean expected) {
        assertEquals(expected, IdentityRule.identityMatches(expand(signed), expand(image), IdentityRule.matchRepoDigestOrExact()));
    }

    @ParameterizedTest(name = "signed {0} / image {1} → {2}")
    @CsvSource({
            "busybox,                          busybox:notlatest,                true",
            "busybox:latest,                   docker.io/library/busybox{D},     true",
            "192.168.64.2:5000/cosign-signed-single-sample, 192.168.64.2:5000/cosign-signed-single-sample:latest, true",
            "busybox:latest,                   notbusybox:latest,                false",
            "hostname/library/busybox:latest,  busybox:latest,                   false",
            "UPPERCASEISINVALID,               testing/manifest,                 false",
            "testing/manifest,                 UPPERCASEISINVALID,               false",
    })
    void matchRepository(String signed, String image, boolean expected) {
        assertEquals(expected, IdentityRule.identityMatches(expand(signed), expand(image), IdentityRule.matchRepository()));
    }

    @Test
    void exactReferenceAndExactRepositoryIgnoreTheImage() {
        IdentityRule exactReference = IdentityRule.exactReference("example.com/ns/repo:v1");
        IdentityRule exactRepository = IdentityRule.exactRepository("example.com/ns/repo");

        assertEquals(true, IdentityRule.identityMatches("example.com/ns/repo:v1", "elsewhere.com/x:y", exactReference));
        assertEquals(false, IdentityRule.identityMatches("example.com/ns/repo:v2", "example.com/ns/repo:v2", exactReference));
        assertEquals(false, IdentityRule.identityMatches("example.com/ns/repo", "example.com/ns/repo:v1", exactReference));
        assertEquals(true, IdentityRule.identityMatches("example.com/ns/repo", "elsewhere.com/x:y", exactRepository));
        assertEquals(false, IdentityRule.identityMatches("example.com/ns/other:v1", "example.com/ns/other:v1", exactRepository));
        assertThrows(IllegalArgumentException.class, () -> IdentityRule.exactReference("example.com/ns/repo"));
    }

    @ParameterizedTest(name = "{0} → {1}: image {2}, signed {3} → {4}")
    @CsvSource({
            "mirror.example,            vendor.example,            mirror.example/ns/image:tag,   vendor.example/ns/image:tag,   true",
            "mirror.example,            vendor.example,            mirror.example/ns/image{D},    vendor.example/ns/image:any,   true",
            "mirror.example,            vendor.example,            mirror.example/ns/image:tag,   mirror.example/ns/image:tag,   false",
            "example.com/mirror,        example.com/vendor,        example.com/mirror/image:tag,  example.com/vendor/image:tag,  true",
            "docker.io,                 not-docker-signed.example, busybox:latest,                not-docker-signed.example/library/busybox:latest, true",
            "docker.io/library,         not-docker-signed.example/ns, busybox:latest,             not-docker-signed.example/ns/busybox:latest, true",
            // A prefix only matches whole path components.
            "docker.io/library,         example.com/ns,            docker.io/libraryy/image:tag,  example.com/nsy/image:tag,     false",
            "docker.io/library,         example.com/ns,            docker.io/libraryy/image:tag,  docker.io/libraryy/image:tag,  true",
            // No rewrite: plain matchRepoDigestOrExact.
            "mirror.example,            vendor.example,            different.com/ns/image:tag,    different.com/ns/image:tag,    true",
            // The rewrite creates an invalid reference ("vendor.example:5000:tag"): no match.
            "mirror.example/ns/image,   vendor.example:5000,       mirror.example/ns/image:tag,   vendor.example:5000:tag,       false",
    })
    void remapIdentity(String prefix, String signedPrefix, String image, String signed, boolean expected) {
        IdentityRule rule = IdentityRule.remapIdentity(prefix, signedPrefix);
        assertEquals(expected, IdentityRule.identityMatches(expand(signed), expand(image), rule));
    }

    @ParameterizedTest
    // Like upstream, short names such as "library/busybox" pass this check and simply never match.
    @ValueSource(strings = {"", "example.com/", "Example com", "example.com/UPPER", "example.com:port/x"})
    void remapIdentityRejectsInvalidPrefixes(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> IdentityRule.remapIdentity(prefix, "vendor.example"));
        assertThrows(IllegalArgumentException.class, () -> IdentityRule.remapIdentity("vendor.example", prefix));
    }
}
