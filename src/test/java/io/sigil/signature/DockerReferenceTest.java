package io.sigil.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DockerReferenceTest {

    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "busybox,                              docker.io/library/busybox",
            "busybox:latest,                       docker.io/library/busybox:latest",
            "library/busybox,                      docker.io/library/busybox",
            "index.docker.io/library/busybox,      docker.io/library/busybox",
            "docker.io/ns/repo:tag,                docker.io/ns/repo:tag",
            "testing/manifest,                     docker.io/testing/manifest",
            "localhost/foo,                        localhost/foo",
            "localhost:5000/foo:1.0,               localhost:5000/foo:1.0",
            "Example.COM/ns/repo,                  Example.COM/ns/repo",
            "192.168.64.2:5000/cosign-signed-single-sample, 192.168.64.2:5000/cosign-signed-single-sample",
            "registry.access.redhat.com/rhel7/rhel:7.2.3, registry.access.redhat.com/rhel7/rhel:7.2.3",
            "example.com/a__b/c--d/e.f:Tag_1.0-x,  example.com/a__b/c--d/e.f:Tag_1.0-x",
    })
    void normalises(String input, String expected) {
        assertEquals(expected, DockerReference.parseNormalized(input).toString());
    }

    @Test
    void splitsDomainPathTagAndDigest() {
        DockerReference reference = DockerReference.parseNormalized("busybox:latest@sha256:" + HEX);

        assertEquals(new DockerReference("docker.io", "library/busybox", "latest", "sha256:" + HEX), reference);
        assertEquals("docker.io/library/busybox", reference.name());
        assertTrue(DockerReference.parseNormalized("busybox").isNameOnly());
    }

    @Test
    void keepsAHostLikeComponentThatIsNoHostInThePathAsUpstreamDoes() {
        assertEquals(new DockerReference("", "a_b.com/x", null, null), DockerReference.parseNormalized("a_b.com/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "UPPERCASEISINVALID", "foo/Bar", "", "busybox:", ":tag", "busybox@sha256:abc", "busybox@sha256:" + "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
            "busybox@md5:0123456789abcdef0123456789abcdef", HEX, "-leading/dash", "a//b", "a/b/", "exa mple/b",
    })
    void rejects(String input) {
        assertThrows(IllegalArgumentException.class, () -> DockerReference.parseNormalized(input));
    }

    @Test
    void rejectsTagsLongerThan128Characters() {
        DockerReference.parseNormalized("busybox:" + "t".repeat(128));
        assertThrows(IllegalArgumentException.class, () -> DockerReference.parseNormalized("busybox:" + "t".repeat(129)));
    }

    @Test
    void rejectsNamesLongerThan255Characters() {
        String name = "example.com/" + "a".repeat(244);
        assertEquals(256, name.length());
        assertThrows(IllegalArgumentException.class, () -> DockerReference.parseNormalized(name));
        DockerReference.parseNormalized(name.substring(1)); // "xample.com/…", 255 characters
    }

    @Test
    void hostileInputIsRejectedQuickly() {
        // Nested quantifiers in a backtracking matcher would take exponential time on these.
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThrows(IllegalArgumentException.class, () -> DockerReference.parseNormalized("a".repeat(1000) + "!"));
            assertThrows(IllegalArgumentException.class, () -> DockerReference.parseNormalized("a-".repeat(490) + "!"));
            assertThrows(IllegalArgumentException.class, () -> DockerReference.parseNormalized("a.".repeat(500) + "/!"));
        });
    }
}
