package io.sigil.repository;

import io.sigil.common.PulpEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * A container namespace: the first path segment of distributions' base paths and pushed names ({@code team} in
 * {@code team/app}). Created with the first distribution under it; roles on namespaces refer to this row.
 */
@Entity
@Table(name = "container_namespace")
public class ContainerNamespace extends PulpEntity {

    public static final String HREFS = "/pulp/api/v3/pulp_container/namespaces/";

    @Column(nullable = false, unique = true)
    public String name;

    public String href() {
        return HREFS + pulpId + "/";
    }
}
