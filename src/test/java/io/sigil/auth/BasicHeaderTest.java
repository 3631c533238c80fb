package io.sigil.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicHeaderTest {

    private static String basic(String raw) {
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsAtTheFirstColonSoPasswordsMayHoldColons() {
        assertArrayEquals(new String[] {"alice", "a:b:c"}, BasicAuthenticator.decodeBasic(basic("alice:a:b:c")));
    }

    @Test
    void schemeIsCaseInsensitiveAndUtf8IsKept() {
        String header = basic("zoë:pässword").replace("Basic", "bAsIc");
        assertArrayEquals(new String[] {"zoë", "pässword"}, BasicAuthenticator.decodeBasic(header));
    }

    @Test
    void rejectsWhatIsNotBasicCredentials() {
        assertNull(BasicAuthenticator.decodeBasic("Bearer abc.def.ghi"));
        assertNull(BasicAuthenticator.decodeBasic("Basic !!!not-base64!!!"));
        assertNull(BasicAuthenticator.decodeBasic(basic("no-colon-here")));
        assertNull(BasicAuthenticator.decodeBasic("Basic"));
    }
}
