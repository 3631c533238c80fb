package io.sigil.exchange;

import io.sigil.common.PulpEntity;
import io.sigil.repository.Repository;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.LinkedHashSet;
import java.util.Set;

/** Names repositories and a directory; each export writes an archive of their versions there. */
@Entity
@Table(name = "exporter")
public class Exporter extends PulpEntity {

    public static final String HREF = "/pulp/api/v3/exporters/core/pulp/";

    @Column(nullable = false, unique = true)
    public String name;

    @Column(nullable = false)
    public String path;

    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "exporter_repository", joinColumns = @JoinColumn(name = "exporter_id"),
            inverseJoinColumns = @JoinColumn(name = "repository_id"))
    public Set<Repository> repositories = new LinkedHashSet<>();

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "last_export_id")
    public Export lastExport;

    public String href() {
        return HREF + pulpId + "/";
    }

    /** The task-lock resource name: one export of an exporter at a time. */
    public String resource() {
        return "exporter:" + pulpId;
    }
}
