package io.sigil.content;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** An immutable (name, manifest) pair. Moving a tag adds a new unit and drops the old one from the version. */
@Entity
@Table(name = "tag")
@DiscriminatorValue(ContentType.TAG_NAME)
public class Tag extends ContentUnit {

    @Column(nullable = false)
    public String name;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "manifest_id")
    public Manifest manifest;

    @Override
    public ContentType type() {
        return ContentType.TAG;
    }
}
