package io.sigil.content;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A manifest kept as the exact bytes received (its digest is the sha256 of those bytes), with what was read out of
 * it. Its blobs and, for lists and indexes, its children are linked in {@code manifest_blob} and
 * {@code manifest_list_entry}.
 */
@Entity
@Table(name = "manifest")
@DiscriminatorValue(ContentType.MANIFEST_NAME)
public class Manifest extends ContentUnit {

    @Column(nullable = false, unique = true)
    public String digest;

    @Column(name = "media_type", nullable = false)
    public String mediaType;

    @Column(name = "schema_version", nullable = false)
    public int schemaVersion;

    /** What the manifest is: image, index, artifact, cosign signature ... (see ManifestKind). */
    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public byte[] data;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "config_blob_id")
    public Blob configBlob;

    @Column(name = "artifact_type")
    public String artifactType;

    /** The manifest this one refers to: OCI {@code subject}, or the image a cosign attachment tag names. */
    @Column(name = "subject_digest")
    public String subjectDigest;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, String> annotations = Map.of();

    @Override
    public ContentType type() {
        return ContentType.MANIFEST;
    }
}
