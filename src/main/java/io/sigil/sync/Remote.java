package io.sigil.sync;

import io.sigil.common.PulpEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An upstream registry repository to sync from. A null list means the default (see the migration). */
@Entity
@Table(name = "container_remote")
public class Remote extends PulpEntity {

    public static final String HREFS = "/pulp/api/v3/remotes/container/container/";

    @Column(nullable = false, unique = true)
    public String name;

    @Column(nullable = false)
    public String url;

    @Column(name = "upstream_name", nullable = false)
    public String upstreamName;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "include_tags", columnDefinition = "jsonb")
    public List<String> includeTags;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "exclude_tags", columnDefinition = "jsonb")
    public List<String> excludeTags;

    /** Write-only through the API. */
    public String username;

    /** Write-only through the API: the value a request just gave, sealed by {@link RemotePasswords}, never stored. */
    @jakarta.persistence.Transient
    public String password;

    @Column(name = "sealed_password")
    public byte[] sealedPassword;

    /** Only in rows stored before passwords were sealed, until start-up seals them. */
    @Column(name = "unsealed_password")
    public String unsealedPassword;

    @Column(name = "tls_validation", nullable = false)
    public boolean tlsValidation = true;

    @Column(name = "ca_cert")
    public String caCert;

    @Column(name = "proxy_url")
    public String proxyUrl;

    /** Seconds; null for the client default. */
    @Column(name = "connect_timeout")
    public Double connectTimeout;

    /** Seconds per request; null for the client default. */
    @Column(name = "total_timeout")
    public Double totalTimeout;

    @Column(name = "download_concurrency", nullable = false)
    public int downloadConcurrency = 10;

    /** Base URL of a lookaside signature store. */
    public String sigstore;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "signature_sources", columnDefinition = "jsonb")
    public List<String> signatureSources;

    @Column(name = "signed_only", nullable = false)
    public boolean signedOnly;

    /** Armored OpenPGP public keys, PEM cosign public keys and trusted-key hrefs. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "verify_with", nullable = false, columnDefinition = "jsonb")
    public List<String> verifyWith = List.of();

    @Column(name = "preserve_signatures", nullable = false)
    public boolean preserveSignatures = true;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "referrer_types", columnDefinition = "jsonb")
    public List<String> referrerTypes;

    @Column(name = "pulp_last_updated", nullable = false)
    public OffsetDateTime pulpLastUpdated = OffsetDateTime.now();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "pulp_labels", nullable = false, columnDefinition = "jsonb")
    public Map<String, String> pulpLabels = new HashMap<>();

    public boolean hasPassword() {
        return sealedPassword != null || unsealedPassword != null;
    }

    public String href() {
        return HREFS + pulpId + "/";
    }

    /** The task-lock resource name of this remote. */
    public String resource() {
        return "remote:" + pulpId;
    }
}
