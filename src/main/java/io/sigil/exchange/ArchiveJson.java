package io.sigil.exchange;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;

/**
 * JSON of the archive format. Reading is strict about syntax (duplicate keys, trailing data) but tolerates unknown
 * fields, which later minor versions may add.
 */
final class ArchiveJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ArchiveJson() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write archive JSON", e);
        }
    }

    static <T> T read(byte[] bytes, Class<T> type, String what) {
        try {
            T value = MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new HostileArchiveException(what + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new HostileArchiveException(what + " is not valid: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    static <T> List<T> readList(byte[] bytes, Class<T> element, String what) {
        JavaType type = MAPPER.getTypeFactory().constructCollectionType(List.class, element);
        try {
            List<T> list = MAPPER.readValue(bytes, type);
            if (list == null || list.contains(null)) {
                throw new HostileArchiveException(what + " must be a list of objects");
            }
            return list;
        } catch (IOException e) {
            throw new HostileArchiveException(what + " is not valid: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
