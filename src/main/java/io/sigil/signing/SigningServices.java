package io.sigil.signing;

import io.sigil.signature.DockerReference;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import io.sigil.signature.CosignKeys;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.KeyMaterial;
import io.sigil.signature.OpenPgpKeyring;
import io.sigil.signature.OpenPgpSigner;
import io.sigil.signature.SignatureIngest;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.bouncycastle.openpgp.PGPSecretKeyRing;

/**
 * Signing services: create (import a private key, generate one, or name an external script), read, list, delete.
 * Private keys and passphrases are sealed by {@link SecretBox} and only ever opened inside a sign task. A service is
 * never updated (as in Pulp): to change one, delete it and create it again.
 */
@ApplicationScoped
public class SigningServices {

    /** The reference a script service signs when it is validated. */
    static final String CHECK_REFERENCE = "localhost/sigil/signing-service-check:test";
    private static final byte[] CHECK_MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":2,"
            + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\"},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);

    @Inject
    EntityManager em;
    @Inject
    SecretBox box;

    /**
     * @param type        atomic or cosign
     * @param private_key armoured OpenPGP secret key (atomic) or PEM private key (cosign) to import
     * @param passphrase  of the imported key, if it has one
     * @param generate    true to have Sigil generate the key (RSA 3072 OpenPGP, or ECDSA P-256)
     * @param user_id     OpenPGP user ID of a generated key
     * @param script      an executable to call instead (atomic only), with {@code public_key} its armoured public key
     */
    public record ServiceRequest(String name, String type, String private_key, String passphrase, Boolean generate,
                                 String user_id, String script, String public_key, List<String> allowed_references) {
    }

    public record ServicePage(long count, List<SigningService> services) {
    }

    /** A service and its signer, unlocked for one task. */
    record Unlocked(SigningService service, Signer signer, ServiceKey key) {
    }

    private record Material(String publicKey, String fingerprint, byte[] privateKey, String passphrase, String script) {
    }

    public SigningService create(ServiceRequest request) {
        if (request == null) {
            throw ApiException.badRequest("a JSON body with name, type and a key (private_key, generate or script) is required");
        }
        String name = KeyMaterial.required("name", request.name()).trim();
        String type = KeyMaterial.required("type", request.type()).toLowerCase(Locale.ROOT);
        if (!SignatureIngest.ATOMIC.equals(type) && !SignatureIngest.COSIGN.equals(type)) {
            throw ApiException.field("type", "must be atomic or cosign, not '" + request.type() + "'");
        }
        int modes = (request.private_key() != null ? 1 : 0) + (Boolean.TRUE.equals(request.generate()) ? 1 : 0)
                + (request.script() != null ? 1 : 0);
        if (modes != 1) {
            throw ApiException.badRequest("give exactly one of private_key, generate: true, or script");
        }
        Material material = request.script() != null ? script(type, request)
                : SignatureIngest.ATOMIC.equals(type) ? openPgp(name, request) : cosign(request);
        List<String> allowed = allowedReferences(request.allowed_references());
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            insert(id, name, type, material);
            Sql.with(em, sql -> sql.update("UPDATE signing_service SET allowed_references = ? WHERE pulp_id = ?",
                    sql.texts(allowed), id));
        });
        return get(id);
    }

    /** Replaces the references a service may sign for. */
    public SigningService setAllowedReferences(UUID id, List<String> references) {
        List<String> allowed = allowedReferences(references);
        int updated = QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> sql.update(
                "UPDATE signing_service SET allowed_references = ? WHERE pulp_id = ?", sql.texts(allowed), id)));
        if (updated == 0) {
            throw ApiException.notFound("signing service " + id + " does not exist");
        }
        return get(id);
    }

    /** Each entry an exact repository name ({@code host/path}) or a prefix of one ending in {@code /}. */
    private static List<String> allowedReferences(List<String> references) {
        if (references == null) {
            return List.of();
        }
        List<String> valid = new ArrayList<>();
        for (String reference : references) {
            String given = reference == null ? "" : reference.trim();
            String name = given.endsWith("/") ? given + "x" : given;
            try {
                DockerReference parsed = DockerReference.parseNormalized(name);
                if (!parsed.isNameOnly() || !name.contains("/") || !name.substring(0, name.indexOf('/')).matches(".*[.:].*|localhost")) {
                    throw new IllegalArgumentException("not a repository with a registry host");
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.field("allowed_references", "'" + given + "' is neither a repository name with its registry "
                        + "host (registry.example.com/team/app) nor a prefix of one ending in / (registry.example.com/team/)");
            }
            valid.add(given);
        }
        return List.copyOf(new java.util.TreeSet<>(valid));
    }

    public SigningService get(UUID id) {
        List<SigningService> found = QuarkusTransaction.joiningExisting().call(() ->
                Sql.with(em, sql -> sql.query(SELECT + " WHERE pulp_id = ?", SigningServices::row, id)));
        if (found.isEmpty()) {
            throw ApiException.notFound("signing service " + id + " does not exist");
        }
        return found.get(0);
    }

    public ServicePage list(String name, String type, int limit, int offset) {
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (name != null) {
            conditions.add("name = ?");
            params.add(name);
        }
        if (type != null) {
            conditions.add("type = ?");
            params.add(type);
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        List<Object> page = new ArrayList<>(params);
        page.addAll(List.of(limit, offset));
        return QuarkusTransaction.joiningExisting().call(() -> Sql.with(em, sql -> new ServicePage(
                sql.query("SELECT count(*) FROM signing_service" + where, rs -> rs.getLong(1), params.toArray()).get(0),
                sql.query(SELECT + where + " ORDER BY id LIMIT ? OFFSET ?", SigningServices::row, page.toArray()))));
    }

    public void delete(UUID id) {
        int deleted = QuarkusTransaction.requiringNew().call(() ->
                Sql.with(em, sql -> sql.update("DELETE FROM signing_service WHERE pulp_id = ?", id)));
        if (deleted == 0) {
            throw ApiException.notFound("signing service " + id + " does not exist");
        }
    }

    /** Opens the sealed key (or prepares the script) of a service. */
    Unlocked unlock(UUID id) {
        SigningService service = get(id);
        ServiceKey key = new ServiceKey(service);
        if (service.script() != null) {
            return new Unlocked(service, new ScriptSigner(service.script(), service.fingerprint()), key);
        }
        byte[][] sealed = QuarkusTransaction.joiningExisting().call(() -> Sql.with(em, sql -> sql.query(
                "SELECT sealed_private_key, sealed_passphrase FROM signing_service WHERE pulp_id = ?",
                rs -> new byte[][] {rs.getBytes(1), rs.getBytes(2)}, id).get(0)));
        byte[] privateKey = box.open(sealed[0], context(id, "private_key"));
        if (SignatureIngest.COSIGN.equals(service.type())) {
            return new Unlocked(service, KeySigners.cosign(CosignKeys.fromPkcs8(privateKey)), key);
        }
        char[] passphrase = sealed[1] == null ? null
                : new String(box.open(sealed[1], context(id, "passphrase")), StandardCharsets.UTF_8).toCharArray();
        return new Unlocked(service, KeySigners.atomic(OpenPgpSigner.fromSecretKeyRing(privateKey, passphrase)), key);
    }

    private static Material openPgp(String name, ServiceRequest request) {
        if (request.private_key() == null) {
            String userId = request.user_id() != null ? request.user_id() : "Sigil signing service " + name;
            PGPSecretKeyRing ring = OpenPgpSigner.generateKeyRing(userId, null);
            return new Material(ascii(OpenPgpSigner.armoredPublicKey(ring)), OpenPgpKeyring.fingerprintOf(ring.getPublicKey()),
                    OpenPgpSigner.armoredSecretKey(ring), null, null);
        }
        byte[] secret = request.private_key().getBytes(StandardCharsets.US_ASCII);
        char[] passphrase = request.passphrase() == null ? null : request.passphrase().toCharArray();
        PGPSecretKeyRing ring;
        try {
            OpenPgpSigner.fromSecretKeyRing(secret, passphrase); // checks the key can sign and the passphrase opens it
            ring = OpenPgpSigner.readSecretKeyRing(secret);
        } catch (IllegalArgumentException e) {
            throw ApiException.field("private_key", e.getMessage());
        }
        return new Material(ascii(OpenPgpSigner.armoredPublicKey(ring)), OpenPgpKeyring.fingerprintOf(ring.getPublicKey()),
                OpenPgpSigner.armoredSecretKey(ring), request.passphrase(), null);
    }

    private static Material cosign(ServiceRequest request) {
        KeyPair keys;
        try {
            keys = request.private_key() == null ? CosignKeys.generate() : CosignKeys.fromPem(request.private_key(), request.passphrase());
        } catch (IllegalArgumentException e) {
            throw ApiException.field("private_key", e.getMessage());
        }
        return new Material(KeyMaterial.pem(keys.getPublic()), CosignSignatures.keyIdentity(keys.getPublic()),
                CosignKeys.pkcs8(keys), null, null);
    }

    /** A script service is checked as Pulp does: it must sign a test manifest verifiably with the given key. */
    private static Material script(String type, ServiceRequest request) {
        if (!SignatureIngest.ATOMIC.equals(type)) {
            throw ApiException.field("script", "only atomic signing services can use a script");
        }
        Path script = Path.of(request.script());
        if (!script.isAbsolute() || !Files.isRegularFile(script) || !Files.isExecutable(script)) {
            throw ApiException.field("script", "'" + request.script() + "' is not an executable file given by absolute path");
        }
        KeyMaterial.Validated key = KeyMaterial.openPgp(request.public_key());
        SigningService probe = new SigningService(null, null, null, type, key.publicKey(), key.fingerprint(), request.script(),
                List.of());
        String digest = Digest.sha256Of(CHECK_MANIFEST).toString();
        try {
            byte[] signature = new ScriptSigner(request.script(), key.fingerprint()).sign(CHECK_MANIFEST, digest, CHECK_REFERENCE);
            new ServiceKey(probe).require(signature, digest, CHECK_REFERENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.field("script", "interrupted while testing the script");
        } catch (Exception e) {
            throw ApiException.field("script", "the script failed to sign a test manifest: " + e.getMessage());
        }
        return new Material(key.publicKey(), key.fingerprint(), null, null, request.script());
    }

    private void insert(UUID id, String name, String type, Material m) {
        Sql.with(em, sql -> {
            if (!sql.query("SELECT 1 FROM signing_service WHERE name = ?", rs -> 1, name).isEmpty()) {
                throw ApiException.field("name", "a signing service named '" + name + "' already exists");
            }
            return sql.update("INSERT INTO signing_service (pulp_id, name, type, public_key, fingerprint, sealed_private_key, "
                            + "sealed_passphrase, script) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, name, type, m.publicKey(), m.fingerprint(),
                    m.privateKey() == null ? null : box.seal(m.privateKey(), context(id, "private_key")),
                    m.passphrase() == null ? null : box.seal(m.passphrase().getBytes(StandardCharsets.UTF_8), context(id, "passphrase")),
                    m.script());
        });
    }

    private static final String SELECT = "SELECT pulp_id, pulp_created, name, type, public_key, fingerprint, script, "
            + "allowed_references FROM signing_service";

    private static SigningService row(ResultSet rs) throws SQLException {
        return new SigningService(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), List.of((String[]) rs.getArray(8).getArray()));
    }

    private static String context(UUID id, String field) {
        return "signing-service:" + id + ":" + field;
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
