package io.sigil.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict parsing rules of signature-formats.md §1, one per case. */
class SimpleSigningPayloadTest {

    private static final String DIGEST = "sha256:20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55";
    private static final String IDENTITY = "\"identity\":{\"docker-reference\":\"testing/manifest\"}";
    private static final String IMAGE = "\"image\":{\"docker-manifest-digest\":\"" + DIGEST + "\"}";
    private static final String TYPE = "\"type\":\"atomic container signature\"";
    private static final String CRITICAL = "\"critical\":{" + TYPE + "," + IMAGE + "," + IDENTITY + "}";

    private static SimpleSigningPayload.UntrustedClaims parseAtomic(String json) {
        return SimpleSigningPayload.parse(json.getBytes(StandardCharsets.UTF_8), SimpleSigningPayload.ATOMIC_TYPE, false);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{CRITICAL}                                           | key \"optional\" missing in the payload",
            "{CRITICAL,\"optional\":{},\"extra\":1}               | unknown key \"extra\" in the payload",
            "{CRITICAL,\"optional\":{},CRITICAL}                  | duplicate key \"critical\" in the payload",
            "{CRITICAL,\"optional\":{}}{}                         | data after the closing brace",
            "{CRITICAL,\"optional\":{}} x                         | payload is not valid JSON",
            "{CRITICAL,\"optional\":null}                         | optional must be a JSON object",
            "{CRITICAL,\"optional\":[]}                           | optional must be a JSON object",
            "{CRITICAL,\"optional\":{\"creator\":1}}              | optional.creator must be a string",
            "{CRITICAL,\"optional\":{\"creator\":null}}           | optional.creator must be a string",
            "{CRITICAL,\"optional\":{\"timestamp\":1.5}}          | optional.timestamp is not an integer",
            "{CRITICAL,\"optional\":{\"timestamp\":\"1\"}}        | optional.timestamp must be a number",
            "{CRITICAL,\"optional\":{\"timestamp\":1e400}}        | optional.timestamp is not an integer",
            "{CRITICAL,\"optional\":{\"timestamp\":1e19}}         | optional.timestamp is not an integer",
            "{CRITICAL,\"optional\":{\"creator\":\"a\",\"creator\":\"b\"}} | duplicate key \"creator\" in optional",
            "{\"critical\":{TYPE,IMAGE},\"optional\":{}}          | key \"identity\" missing in critical",
            "{\"critical\":{TYPE,IMAGE,IDENTITY,\"x\":1},\"optional\":{}} | unknown key \"x\" in critical",
            "{\"critical\":{\"type\":\"cosign container image signature\",IMAGE,IDENTITY},\"optional\":{}} | unrecognised signature type",
            "{\"critical\":{\"type\":null,IMAGE,IDENTITY},\"optional\":{}} | critical.type must be a string",
            "{\"critical\":{TYPE,\"image\":{\"docker-manifest-digest\":\"sha256:abc\"},IDENTITY},\"optional\":{}} | the encoded part must be 64 lower-case hex digits",
            "{\"critical\":{TYPE,\"image\":{\"docker-manifest-digest\":\"md5:abc\"},IDENTITY},\"optional\":{}} | unsupported digest algorithm md5",
            "{\"critical\":{TYPE,\"image\":{\"docker-manifest-digest\":\"nocolon\"},IDENTITY},\"optional\":{}} | not of the form algorithm:hex",
            "{\"critical\":{TYPE,\"image\":{\"docker-manifest-digest\":\"x\",\"y\":\"z\"},IDENTITY},\"optional\":{}} | unknown key \"y\" in critical.image",
            "{\"critical\":{TYPE,IMAGE,\"identity\":{\"docker-reference\":7}},\"optional\":{}} | critical.identity.docker-reference must be a string",
            "{\"critical\":{TYPE,IMAGE,\"identity\":{}},\"optional\":{}} | key \"docker-reference\" missing in critical.identity",
            "{\"critical\":[],\"optional\":{}}                    | critical must be a JSON object",
            "[]                                                   | the payload must be a JSON object",
            "''                                                   | the payload must be a JSON object",
    })
    void rejects(String template, String expectedMessage) {
        String json = template.replace("CRITICAL", CRITICAL).replace("TYPE", TYPE).replace("IMAGE", IMAGE)
                .replace("IDENTITY", IDENTITY);
        SignatureFormatException e = assertThrows(SignatureFormatException.class, () -> parseAtomic(json));
        assertTrue(e.getMessage().contains(expectedMessage), e.getMessage());
    }

    @Test
    void acceptsIntegralTimestampsWrittenAsFloatsAndIgnoresUnknownOptionalMembers() {
        SimpleSigningPayload.UntrustedClaims claims = parseAtomic("{" + CRITICAL
                + ",\"optional\":{\"timestamp\":1.458239713e9,\"whatever\":{\"a\":[1,{\"a\":2,\"a\":3}]}}}");

        assertEquals(1458239713L, claims.timestamp());
        assertNull(claims.creator());
        assertEquals("testing/manifest", claims.dockerReference());
    }

    @Test
    void acceptsSha512DigestsWhichThenNeverMatch() {
        String sha512 = "sha512:" + "ab".repeat(64);
        SimpleSigningPayload.UntrustedClaims claims = parseAtomic("{" + CRITICAL.replace(DIGEST, sha512) + ",\"optional\":{}}");

        assertEquals(sha512, claims.manifestDigest());
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] json = ("{" + CRITICAL + ",\"optional\":{\"creator\":\"\u00ff\"}}").getBytes(StandardCharsets.ISO_8859_1);
        SignatureFormatException e = assertThrows(SignatureFormatException.class,
                () -> SimpleSigningPayload.parse(json, SimpleSigningPayload.ATOMIC_TYPE, false));
        assertEquals("payload is not valid UTF-8", e.getMessage());
    }

    @Test
    void cosignPayloadsMayHaveANullOptionalButNeedTheirOwnType() {
        String cosignCritical = CRITICAL.replace("atomic container signature", "cosign container image signature");
        byte[] json = ("{" + cosignCritical + ",\"optional\":null}").getBytes(StandardCharsets.UTF_8);

        SimpleSigningPayload.UntrustedClaims claims = SimpleSigningPayload.parse(json, SimpleSigningPayload.COSIGN_TYPE, true);
        assertNull(claims.creator());
        assertThrows(SignatureFormatException.class,
                () -> SimpleSigningPayload.parse(json, SimpleSigningPayload.ATOMIC_TYPE, true));
    }
}
