package io.sigil.content;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/**
 * A signature of one manifest, whatever its format. Every kind (atomic, cosign, referrer) is linked to the manifest
 * it signs, so copy, removal, export and invalidation follow one relation. The fields other than the raw bytes are
 * what the parser read out of them; they are claims until a verifier says otherwise.
 */
@Entity
@Table(name = "signature")
@DiscriminatorValue(ContentType.SIGNATURE_NAME)
public class Signature extends ContentUnit {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "signed_manifest_id")
    public Manifest signedManifest;

    @Column(name = "signed_digest", nullable = false)
    public String signedDigest;

    /** {@code atomic} (OpenPGP simple signing), {@code cosign}, ... */
    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String name;

    /** sha256 of the raw signature bytes; unique together with the signed manifest digest. */
    @Column(nullable = false)
    public String digest;

    @Column(nullable = false)
    public byte[] data;

    @Column(name = "key_id")
    public String keyId;

    public String fingerprint;

    public String creator;

    /** Seconds since the epoch, from the payload's {@code optional.timestamp} (64 bits: no 2038 overflow). */
    @Column(name = "signed_at")
    public Long signedAt;

    @Column(name = "docker_reference")
    public String dockerReference;

    @Column(name = "payload_digest")
    public String payloadDigest;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "carrier_manifest_id")
    public Manifest carrierManifest;

    @Override
    public ContentType type() {
        return ContentType.SIGNATURE;
    }
}
