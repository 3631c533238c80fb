package io.sigil.content;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A layer or config blob, identified by the digest of its bytes (which live in the blob store). */
@Entity
@Table(name = "blob")
@DiscriminatorValue(ContentType.BLOB_NAME)
public class Blob extends ContentUnit {

    @Column(nullable = false, unique = true)
    public String digest;

    @Column(nullable = false)
    public long size;

    @Override
    public ContentType type() {
        return ContentType.BLOB;
    }
}
