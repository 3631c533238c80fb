package io.sigil.signature;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Notary Project signature envelope (notaryproject/specifications: signature-envelope-jws.md and
 * signature-envelope-cose.md) parsed into what verification needs: the exact bytes that were signed, the signature,
 * the algorithm, the certificate chain (leaf first) and the signed attributes. Parsing checks the envelope's own
 * rules (content type, critical headers); nothing here says the signature is good.
 *
 * @param payload        the signed payload ({@code application/vnd.cncf.notary.payload.v1+json})
 * @param signingInput   the bytes the signature is over: JWS {@code protected.payload}, COSE the Sig_structure
 * @param signingScheme  {@code notary.x509} or {@code notary.x509.signingAuthority}
 * @param signingTime    untrusted signing time ({@code notary.x509}); null if absent
 * @param authenticTime  authentic signing time ({@code notary.x509.signingAuthority}); null if absent
 * @param expiry         when the signature stops being valid; null if never
 */
public record NotaryEnvelope(byte[] payload, byte[] signingInput, byte[] signature, Algorithm algorithm,
                             List<X509Certificate> chain, String signingScheme, Instant signingTime,
                             Instant authenticTime, Instant expiry) {

    public static final String JWS = "application/jose+json";
    public static final String COSE = "application/cose";
    public static final String PAYLOAD_TYPE = "application/vnd.cncf.notary.payload.v1+json";
    public static final String SCHEME_X509 = "notary.x509";
    public static final String SCHEME_SIGNING_AUTHORITY = "notary.x509.signingAuthority";

    private static final String PREFIX = "io.cncf.notary.";
    private static final String SIGNING_SCHEME = PREFIX + "signingScheme";
    private static final String SIGNING_TIME = PREFIX + "signingTime";
    private static final String AUTHENTIC_SIGNING_TIME = PREFIX + "authenticSigningTime";
    private static final String EXPIRY = PREFIX + "expiry";
    /** What a verifier without plugins understands in {@code crit}; anything else there fails verification. */
    private static final Set<String> KNOWN_CRITICAL = Set.of(SIGNING_SCHEME, AUTHENTIC_SIGNING_TIME, EXPIRY);
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CBORFactory CBOR = new CBORFactory();
    private static final ObjectMapper CBOR_MAPPER = new ObjectMapper(CBOR);

    /** The signature algorithms Notary allows, with the key each needs. */
    public enum Algorithm {
        PS256(true, 256, 2048, -37), PS384(true, 384, 3072, -38), PS512(true, 512, 4096, -39),
        ES256(false, 256, 256, -7), ES384(false, 384, 384, -35), ES512(false, 512, 521, -36);

        final boolean rsaPss;
        final int shaBits;
        /** RSA modulus bits, or the EC curve's field size. */
        final int keyBits;
        final int coseId;

        Algorithm(boolean rsaPss, int shaBits, int keyBits, int coseId) {
            this.rsaPss = rsaPss;
            this.shaBits = shaBits;
            this.keyBits = keyBits;
            this.coseId = coseId;
        }

        static Algorithm jws(String name) {
            try {
                return valueOf(name);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new SignatureFormatError("unsupported signature algorithm " + name);
            }
        }

        static Algorithm cose(int id) {
            for (Algorithm a : values()) {
                if (a.coseId == id) {
                    return a;
                }
            }
            throw new SignatureFormatError("unsupported COSE signature algorithm " + id);
        }
    }

    /** Parses an envelope of the given layer media type ({@link #JWS} or {@link #COSE}). */
    public static NotaryEnvelope parse(String mediaType, byte[] untrusted) {
        return switch (mediaType) {
            case JWS -> parseJws(untrusted);
            case COSE -> parseCose(untrusted);
            default -> throw new SignatureFormatError("media type " + mediaType + " is not a Notary Project signature envelope");
        };
    }

    private static NotaryEnvelope parseJws(byte[] untrusted) {
        JsonNode root = readJson(untrusted, "JWS envelope");
        String protectedText = text(root, "protected");
        String payloadText = text(root, "payload");
        byte[] payload = base64Url(payloadText, "payload");
        byte[] signature = base64Url(text(root, "signature"), "signature");
        JsonNode headers = readJson(base64Url(protectedText, "protected header"), "JWS protected header");
        Algorithm algorithm = Algorithm.jws(headers.path("alg").asText(null));
        requireContentType(headers.path("cty").asText(null));
        List<String> critical = new ArrayList<>();
        headers.path("crit").forEach(c -> critical.add(c.asText()));
        List<byte[]> x5c = new ArrayList<>();
        JsonNode chain = root.path("header").path("x5c");
        chain.forEach(c -> x5c.add(standardBase64(c.asText())));
        byte[] signingInput = (protectedText + "." + payloadText).getBytes(StandardCharsets.US_ASCII);
        return build(payload, signingInput, signature, algorithm, x5c, critical, headers.path(SIGNING_SCHEME).asText(null),
                rfc3339(headers.get(SIGNING_TIME)), rfc3339(headers.get(AUTHENTIC_SIGNING_TIME)), rfc3339(headers.get(EXPIRY)),
                headers.has(AUTHENTIC_SIGNING_TIME), headers.has(EXPIRY));
    }

    /** COSE_Sign1_Tagged: tag 18, [protected bstr, unprotected map, payload bstr, signature bstr]. */
    private static NotaryEnvelope parseCose(byte[] untrusted) {
        JsonNode message;
        try (CBORParser parser = CBOR.createParser(untrusted)) {
            if (parser.nextToken() != JsonToken.START_ARRAY || parser.getCurrentTag() != 18) {
                throw new SignatureFormatError("the COSE envelope is not a tagged COSE_Sign1 message");
            }
            message = CBOR_MAPPER.readTree(parser);
        } catch (IOException e) {
            throw new SignatureFormatError("the COSE envelope is not CBOR: " + e.getMessage());
        }
        if (message == null || !message.isArray() || message.size() != 4 || !message.get(0).isBinary()
                || !message.get(2).isBinary() || !message.get(3).isBinary()) {
            throw new SignatureFormatError("the COSE_Sign1 message must be [protected, unprotected, payload, signature]");
        }
        byte[] protectedBytes = binary(message.get(0));
        byte[] payload = binary(message.get(2));
        JsonNode headers;
        try {
            headers = CBOR_MAPPER.readTree(protectedBytes);
        } catch (IOException e) {
            throw new SignatureFormatError("the COSE protected header is not CBOR: " + e.getMessage());
        }
        if (headers == null || !headers.isObject()) {
            throw new SignatureFormatError("the COSE protected header is not a map");
        }
        Algorithm algorithm = Algorithm.cose(headers.path("1").asInt(0));
        requireContentType(headers.path("3").asText(null));
        List<String> critical = new ArrayList<>();
        headers.path("2").forEach(c -> critical.add(c.asText()));
        List<byte[]> x5c = new ArrayList<>();
        JsonNode chain = message.get(1).path("33");
        if (chain.isBinary()) {
            x5c.add(binary(chain));
        } else {
            chain.forEach(c -> x5c.add(binary(c)));
        }
        return build(payload, sigStructure(protectedBytes, payload), binary(message.get(3)), algorithm, x5c, critical,
                headers.path(SIGNING_SCHEME).asText(null), epoch(headers.get(SIGNING_TIME)),
                epoch(headers.get(AUTHENTIC_SIGNING_TIME)), epoch(headers.get(EXPIRY)), headers.has(AUTHENTIC_SIGNING_TIME),
                headers.has(EXPIRY));
    }

    /** {@code ["Signature1", protected, h'', payload]} as definite-length CBOR (RFC 9052 §4.4). */
    private static byte[] sigStructure(byte[] protectedBytes, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + protectedBytes.length + 32);
        try (CBORGenerator generator = CBOR.createGenerator(out)) {
            generator.writeStartArray(null, 4);
            generator.writeString("Signature1");
            generator.writeBinary(protectedBytes);
            generator.writeBinary(new byte[0]);
            generator.writeBinary(payload);
            generator.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static NotaryEnvelope build(byte[] payload, byte[] signingInput, byte[] signature, Algorithm algorithm,
                                        List<byte[]> x5c, List<String> critical, String scheme, Instant signingTime,
                                        Instant authenticTime, Instant expiry, boolean hasAuthenticTime, boolean hasExpiry) {
        for (String name : critical) {
            if (!KNOWN_CRITICAL.contains(name)) {
                throw new SignatureFormatError("the critical header " + name + " is not understood");
            }
        }
        if (!critical.contains(SIGNING_SCHEME)) {
            throw new SignatureFormatError("the signing scheme is not marked critical");
        }
        if (hasExpiry && !critical.contains(EXPIRY) || hasAuthenticTime && !critical.contains(AUTHENTIC_SIGNING_TIME)) {
            throw new SignatureFormatError("expiry and authentic signing time must be marked critical");
        }
        if (SCHEME_X509.equals(scheme)) {
            if (signingTime == null) {
                throw new SignatureFormatError("scheme notary.x509 requires a signing time");
            }
        } else if (SCHEME_SIGNING_AUTHORITY.equals(scheme)) {
            if (authenticTime == null) {
                throw new SignatureFormatError("scheme notary.x509.signingAuthority requires an authentic signing time");
            }
        } else {
            throw new SignatureFormatError("unknown signing scheme " + scheme);
        }
        if (x5c.isEmpty()) {
            throw new SignatureFormatError("the envelope carries no certificate chain");
        }
        return new NotaryEnvelope(payload, signingInput, signature, algorithm, certificates(x5c), scheme, signingTime,
                authenticTime, expiry);
    }

    private static void requireContentType(String contentType) {
        if (!PAYLOAD_TYPE.equals(contentType)) {
            throw new SignatureFormatError("the payload content type is " + contentType + ", not " + PAYLOAD_TYPE);
        }
    }

    private static List<X509Certificate> certificates(List<byte[]> ders) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = new ArrayList<>();
            for (byte[] der : ders) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
            return List.copyOf(chain);
        } catch (CertificateException e) {
            throw new SignatureFormatError("the certificate chain does not parse: " + e.getMessage());
        }
    }

    private static JsonNode readJson(byte[] bytes, String what) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new SignatureFormatError("the " + what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new SignatureFormatError("the " + what + " is not JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || !value.isTextual()) {
            throw new SignatureFormatError("the JWS envelope's " + member + " is missing or not a string");
        }
        return value.asText();
    }

    /** RFC 7515 base64url without padding; anything else (a padding '=' included) is a malformed envelope. */
    private static byte[] base64Url(String text, String what) {
        if (!BASE64URL.matcher(text).matches()) {
            throw new SignatureFormatError("the JWS " + what + " is not unpadded base64url");
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new SignatureFormatError("the JWS " + what + " is not base64url: " + e.getMessage());
        }
    }

    private static byte[] standardBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new SignatureFormatError("an x5c certificate is not base64");
        }
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (IOException e) {
            throw new SignatureFormatError("a COSE field is not a byte string");
        }
    }

    private static Instant rfc3339(JsonNode node) {
        if (node == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new SignatureFormatError("'" + node.asText() + "' is not an RFC 3339 time");
        }
    }

    private static Instant epoch(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (!node.canConvertToLong()) {
            throw new SignatureFormatError("a COSE time is not an integer of seconds");
        }
        return Instant.ofEpochSecond(node.asLong());
    }
}
