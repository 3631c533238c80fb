package io.sigil.signature;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.bouncycastle.bcpg.PacketTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * The structure of an atomic signature blob: an OpenPGP signed message (RFC 4880 §11.3), optionally compressed,
 * holding exactly one one-pass signature, one literal data packet and one signature. Nothing here is verified.
 *
 * @param untrustedContent   the literal data, i.e. the JSON payload
 * @param untrustedSignature the signature packet that claims to sign it
 */
record OpenPgpSignedMessage(byte[] untrustedContent, PGPSignature untrustedSignature) {

    /** containers/image refuses larger signatures (§7); this also bounds what decompression may produce. */
    static final int MAX_SIGNATURE_BYTES = SignatureIngest.MAX_SIGNATURE_BYTES;

    static OpenPgpSignedMessage read(byte[] untrustedBlob) {
        requireRecognisedFirstByte(untrustedBlob);
        if (untrustedBlob.length > MAX_SIGNATURE_BYTES) {
            throw new SignatureFormatException("signature is larger than " + MAX_SIGNATURE_BYTES + " bytes");
        }
        try {
            return readPackets(new BcPGPObjectFactory(new ByteArrayInputStream(untrustedBlob)), true);
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof SignatureFormatException formatException) {
                throw formatException;
            }
            throw new SignatureFormatException("not a well-formed OpenPGP signed message: " + e.getMessage(), e);
        }
    }

    /**
     * There is no format marker, so containers/image ({@code internal/signature/signature.go}) recognises OpenPGP by
     * the first packet tag: compressed data, one-pass signature or signature. We say more precisely what else it is.
     */
    private static void requireRecognisedFirstByte(byte[] untrustedBlob) {
        if (untrustedBlob.length == 0) {
            throw new SignatureFormatException("empty signature");
        }
        int tag = packetTag(untrustedBlob[0] & 0xFF);
        switch (tag) {
            case PacketTags.COMPRESSED_DATA, PacketTags.ONE_PASS_SIGNATURE, PacketTags.SIGNATURE -> {
                return;
            }
            case PacketTags.PUBLIC_KEY_ENC_SESSION, PacketTags.SYMMETRIC_KEY_ENC_SESSION, PacketTags.SYMMETRIC_KEY_ENC,
                    PacketTags.SYM_ENC_INTEGRITY_PRO -> throw encrypted();
            case PacketTags.LITERAL_DATA -> throw notSigned();
            default -> throw new SignatureFormatException(String.format(Locale.ROOT,
                    "unrecognised signature format, starting with byte 0x%02x", untrustedBlob[0] & 0xFF));
        }
    }

    /** RFC 4880 §4.2: bit 7 set; bit 6 selects the new format (tag in bits 5–0) or the old one (tag in bits 5–2). */
    private static int packetTag(int firstByte) {
        if ((firstByte & 0x80) == 0) {
            return -1;
        }
        return (firstByte & 0x40) != 0 ? firstByte & 0x3F : (firstByte >> 2) & 0x0F;
    }

    private static OpenPgpSignedMessage readPackets(PGPObjectFactory packets, boolean mayBeCompressed)
            throws IOException, PGPException {
        Object packet = nextSkippingMarkers(packets);
        if (packet instanceof PGPCompressedData compressed && mayBeCompressed) {
            OpenPgpSignedMessage message = readPackets(
                    new BcPGPObjectFactory(new BoundedInputStream(compressed.getDataStream(), MAX_SIGNATURE_BYTES)), false);
            requireEnd(packets);
            return message;
        }
        if (packet instanceof PGPEncryptedDataList) {
            throw encrypted();
        }
        if (packet instanceof PGPLiteralData) {
            throw notSigned();
        }
        if (packet instanceof PGPSignatureList) {
            throw new SignatureFormatException("signature packets before the signed data (the PGP 2 layout) are not supported");
        }
        if (!(packet instanceof PGPOnePassSignatureList onePassSignatures)) {
            throw new SignatureFormatException("expected a one-pass signature packet, found " + describe(packet));
        }
        if (onePassSignatures.size() != 1) {
            throw new SignatureFormatException("expected exactly one signature, found " + onePassSignatures.size());
        }
        if (!(nextSkippingMarkers(packets) instanceof PGPLiteralData literal)) {
            throw new SignatureFormatException("expected literal data after the one-pass signature packet");
        }
        byte[] content = readAll(literal.getInputStream());
        if (!(nextSkippingMarkers(packets) instanceof PGPSignatureList signatures) || signatures.size() != 1) {
            throw new SignatureFormatException("expected exactly one signature packet after the literal data");
        }
        requireEnd(packets);
        return new OpenPgpSignedMessage(content, signatures.get(0));
    }

    private static Object nextSkippingMarkers(PGPObjectFactory packets) throws IOException {
        Object packet = packets.nextObject();
        while (packet instanceof PGPMarker) {
            packet = packets.nextObject();
        }
        return packet;
    }

    private static void requireEnd(PGPObjectFactory packets) throws IOException {
        Object trailing = nextSkippingMarkers(packets);
        if (trailing != null) {
            throw new SignatureFormatException("unexpected " + describe(trailing) + " after the signature");
        }
    }

    private static String describe(Object packet) {
        return packet == null ? "end of data" : packet.getClass().getSimpleName();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static SignatureFormatException encrypted() {
        return new SignatureFormatException("an encrypted OpenPGP message, not a signed one");
    }

    private static SignatureFormatException notSigned() {
        return new SignatureFormatException("bare literal data: the message is not signed");
    }

    /** Stops a small compressed packet from expanding without bound. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                consume(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                consume(n);
            }
            return n;
        }

        private void consume(int n) {
            remaining -= n;
            if (remaining < 0) {
                throw new SignatureFormatException("decompressed signature is larger than " + MAX_SIGNATURE_BYTES + " bytes");
            }
        }
    }
}
