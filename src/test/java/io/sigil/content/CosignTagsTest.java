package io.sigil.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigil.content.CosignTags.TagKind;
import io.sigil.content.CosignTags.TagTarget;
import io.sigil.storage.Digest;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CosignTagsTest {

    private static final Digest D2 = RealManifestsTest.D2;
    private static final String HEX = D2.hex();

    @Test
    void tagNamesAsCosignAndContainersImageSpellThem() {
        assertEquals("sha256-" + HEX + ".sig", CosignTags.signatureTag(D2));
        assertEquals("sha256-" + HEX + ".att", CosignTags.attestationTag(D2));
        assertEquals("sha256-" + HEX + ".sbom", CosignTags.sbomTag(D2));
        assertEquals("sha256-" + HEX, CosignTags.referrersFallbackTag(D2));
    }

    @ParameterizedTest
    @EnumSource(TagKind.class)
    void subjectOfReadsBackEveryKindOfTag(TagKind kind) {
        assertEquals(Optional.of(new TagTarget(D2, kind)), CosignTags.subjectOf(CosignTags.tag(D2, kind)));
    }

    @Test
    void subjectOfTheSignatureTagOfARealManifest() {
        String tag = "sha256-634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00.sig";
        assertEquals(Optional.of(new TagTarget(D2, TagKind.SIGNATURE)), CosignTags.subjectOf(tag));
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "sha256-634a8f35",
            "sha256-634A8F35B5F16DCF4AAA0822ADC0B1964BB786FCA12F6831DE8DDC45E5986A00",
            "sha256-634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00.sig.bak",
            "sha256-634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00.SIG",
            "sha256-634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00.sign",
            "v1-sha256-634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00",
            "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00",
            "sha512-634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00.sig"})
    void otherTagsHaveNoSubject(String tag) {
        assertTrue(CosignTags.subjectOf(tag).isEmpty(), tag);
    }
}
