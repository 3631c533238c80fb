package io.sigil.repository;

import io.sigil.common.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Container namespaces: created explicitly or with the first distribution (or push) under them. */
@ApplicationScoped
public class Namespaces {

    /** A path segment as pulp_container allows it in base paths. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

    @Inject
    EntityManager em;

    /** The namespace of a base path or pushed name: its first path segment. */
    public static String of(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }

    @Transactional
    public ContainerNamespace create(String name) {
        if (name == null || name.length() > 255 || !NAME.matcher(name).matches()) {
            throw ApiException.field("name", "a namespace name is one path segment: lower-case letters and digits, "
                    + "separated by '.', '_', '__' or '-'");
        }
        if (ContainerNamespace.count("name", name) > 0) {
            throw ApiException.field("name", "a namespace named '" + name + "' already exists");
        }
        ensure(name);
        return find(name);
    }

    /** Creates the namespace of {@code path} unless it exists; safe against concurrent callers. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ensureFor(String path) {
        ensure(of(path));
    }

    private void ensure(String name) {
        em.createNativeQuery("INSERT INTO container_namespace (pulp_id, name) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING")
                .setParameter(1, UUID.randomUUID()).setParameter(2, name).executeUpdate();
    }

    private ContainerNamespace find(String name) {
        return ContainerNamespace.<ContainerNamespace>find("name", name).firstResult();
    }

    /** The href of the namespace {@code path} lies in, or null when there is none. */
    public String hrefOf(String path) {
        return ContainerNamespace.<ContainerNamespace>find("name", of(path)).firstResultOptional()
                .map(ContainerNamespace::href).orElse(null);
    }

    public ContainerNamespace get(UUID id) {
        return ContainerNamespace.<ContainerNamespace>find("pulpId", id).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("namespace " + id + " does not exist"));
    }

    /** Deletes an empty namespace; one that distributions still live under is refused, naming them. */
    @Transactional
    public void delete(UUID id) {
        ContainerNamespace namespace = get(id);
        @SuppressWarnings("unchecked")
        List<String> paths = em.createNativeQuery("SELECT base_path FROM distribution WHERE base_path = ?1 "
                        + "OR base_path LIKE ?2 ORDER BY base_path LIMIT 10")
                .setParameter(1, namespace.name).setParameter(2, likePrefix(namespace.name) + "/%").getResultList();
        if (!paths.isEmpty()) {
            throw ApiException.conflict("namespace '" + namespace.name + "' still holds distributions ("
                    + String.join(", ", paths) + "); delete them first");
        }
        namespace.delete();
    }

    private static String likePrefix(String name) {
        return name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
