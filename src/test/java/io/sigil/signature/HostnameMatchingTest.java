package io.sigil.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** PKI {@code subject_hostname} against certificate SANs, by the rules of Go's {@code Certificate.VerifyHostname}. */
class HostnameMatchingTest {

    @Test
    void aWildcardIsTheWholeLeftMostLabelAndStandsForExactlyOne() {
        assertDns(true, "*.example.com", "a.example.com");
        assertDns(false, "*.example.com", "a.b.example.com");
        assertDns(false, "*.example.com", "example.com");
        assertDns(false, "a.*.com", "a.b.com");
    }

    @Test
    void invalidPatternsOnlyMatchTheSameText() {
        assertDns(false, "a*.example.com", "ab.example.com");
        assertDns(false, "a*.example.com", "a.example.com");
        assertDns(false, "*.*.com", "a.b.com");
        assertDns(false, "*", "localhost");
        assertDns(false, "-a.example.com", "-a.example.com.");
        // Go matches a name it cannot read as a hostname only exactly (case-insensitively), wildcard included.
        assertDns(true, "*.*.com", "*.*.COM");
    }

    @Test
    void matchingIgnoresAsciiCaseAndATrailingDotOnTheName() {
        assertDns(true, "host.example.com", "HOST.Example.com");
        assertDns(true, "Host.EXAMPLE.com", "host.example.com");
        assertDns(true, "host.example.com", "host.example.com.");
        assertDns(true, "*.example.com", "A.example.com.");
        assertDns(false, "host.example.com.", "host.example.com");
        assertDns(false, "host.example.com", "host.example.com..");
        assertDns(true, "build_1.example.com", "build_1.example.com");
    }

    @Test
    void addressesMatchIpSansOnly() {
        assertEquals(true, SigningCertificates.validForHostname(List.of(), List.of("10.0.0.1"), "10.0.0.1"));
        assertEquals(false, SigningCertificates.validForHostname(List.of("10.0.0.1"), List.of(), "10.0.0.1"));
        assertEquals(false, SigningCertificates.validForHostname(List.of("*.0.0.1"), List.of(), "10.0.0.1"));
        assertEquals(true, SigningCertificates.validForHostname(List.of(), List.of("0:0:0:0:0:0:0:1"), "[::1]"));
        assertEquals(true, SigningCertificates.validForHostname(List.of(), List.of("10.0.0.1"), "::ffff:10.0.0.1"));
        // Go reads no leading zeros in IPv4: this is a name, and matches as one.
        assertEquals(false, SigningCertificates.validForHostname(List.of(), List.of("10.0.0.1"), "010.0.0.1"));
        assertEquals(true, SigningCertificates.validForHostname(List.of("010.0.0.1"), List.of(), "010.0.0.1"));
        assertEquals(false, SigningCertificates.validForHostname(List.of("host.example.com"), List.of(), "[host.example.com]"));
    }

    @Test
    void aRequiredHostnameIsANameGoWouldMatchOrAnAddress() {
        for (String valid : List.of("build.example.com", "build.example.com.", "Build_1.example.com", "localhost",
                "10.0.0.1", "::1", "[::1]", "fe80::1")) {
            assertEquals(true, SigningCertificates.isHostnameOrAddress(valid), valid);
        }
        for (String invalid : List.of("*.example.com", "a*.example.com", "a..example.com", "-a.example.com", ".example.com",
                "host name", "a:b", "fe80::1%eth0", "héllo.example.com", "https://build.example.com", "[build.example.com]")) {
            assertEquals(false, SigningCertificates.isHostnameOrAddress(invalid), invalid);
        }
    }

    private static void assertDns(boolean expected, String san, String hostname) {
        assertEquals(expected, SigningCertificates.validForHostname(List.of(san), List.of(), hostname), san + " for " + hostname);
    }
}
