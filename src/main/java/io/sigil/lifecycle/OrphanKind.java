package io.sigil.lifecycle;

/**
 * The content types orphan clean-up deletes, in the order it sweeps them: tags and signatures first (nothing refers
 * to them), then manifests (several passes: a list frees its children, a subject its referrers), blobs last.
 *
 * <p>For each type: how to take the same per-unit advisory lock that {@code ContentStore} takes when it creates or
 * reuses a unit (so reuse and deletion never interleave), and what, besides version membership, still needs a unit.
 */
enum OrphanKind {
    TAG("container.tag", "tag u JOIN manifest m ON m.id = u.manifest_id", "'tag:' || u.name || '@' || m.digest", ""),
    SIGNATURE("container.signature", "signature u", "'signature:' || u.signed_digest || '@' || u.digest", ""),
    MANIFEST("container.manifest", "manifest u", "u.digest", """
             AND NOT EXISTS (SELECT 1 FROM tag t WHERE t.manifest_id = c.id)
             AND NOT EXISTS (SELECT 1 FROM signature s WHERE s.signed_manifest_id = c.id)
             AND NOT EXISTS (SELECT 1 FROM signature s WHERE s.carrier_manifest_id = c.id)
             AND NOT EXISTS (SELECT 1 FROM manifest_list_entry e WHERE e.child_id = c.id)
             AND NOT EXISTS (SELECT 1 FROM manifest r JOIN manifest subject ON subject.digest = r.subject_digest
                             WHERE r.id = c.id)"""),
    /** A blob pending in a repository (pushed, its manifest still to come) belongs to that push, however old. */
    BLOB("container.blob", "blob u", "u.digest", """
             AND NOT EXISTS (SELECT 1 FROM manifest_blob mb WHERE mb.blob_id = c.id)
             AND NOT EXISTS (SELECT 1 FROM manifest m WHERE m.config_blob_id = c.id)
             AND NOT EXISTS (SELECT 1 FROM registry_pending_blob p WHERE p.blob_id = c.id)""");

    final String pulpType;
    private final String from;
    private final String lockKey;
    private final String unneeded;

    OrphanKind(String pulpType, String from, String lockKey, String unneeded) {
        this.pulpType = pulpType;
        this.from = from;
        this.lockKey = lockKey;
        this.unneeded = unneeded;
    }

    /** Units of this type, after {@code c.id > ?}, that no version holds, older than {@code ?}, that nothing needs. */
    String candidates() {
        return "SELECT c.id FROM content c WHERE c.pulp_type = '" + pulpType + "' AND c.id > ? AND " + eligible() + " ORDER BY c.id LIMIT ?";
    }

    /**
     * Locks the units among {@code ANY(?)} that nobody is using right now, without waiting: the advisory lock of the
     * unit, and its rows FOR UPDATE, which conflicts with the FOR KEY SHARE that anyone linking to the unit holds.
     */
    String lockUnused() {
        return "SELECT u.id FROM " + from + " JOIN content c ON c.id = u.id WHERE u.id = ANY(?) "
                + "AND pg_try_advisory_xact_lock(hashtextextended(" + lockKey + ", 0)) FOR UPDATE OF u, c SKIP LOCKED";
    }

    /** Those of {@code ANY(?)} still eligible; run after {@link #lockUnused} so it sees every commit made before. */
    String stillEligible() {
        return "SELECT c.id FROM content c WHERE c.id = ANY(?) AND " + eligible();
    }

    private String eligible() {
        return "c.timestamp_of_interest < ? AND NOT EXISTS (SELECT 1 FROM repository_content rc WHERE rc.content_id = c.id)"
                + unneeded;
    }
}
