package io.sigil.auth;

import io.quarkus.panache.common.Sort;
import io.sigil.common.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hibernate.exception.ConstraintViolationException;

/** Users: validation, hashing and storage. Throws {@link ApiException} (400, 404) for the API to report. */
@ApplicationScoped
public class UserService {

    /** Django's username rule, as Pulp uses it. */
    private static final Pattern USERNAME = Pattern.compile("[\\w.@+-]{1,150}");

    @Inject
    PasswordHasher hasher;

    @Inject
    CredentialCache cache;

    @Inject
    UserTokens tokens;

    @Inject
    EntityManager em;

    /** The caller these credentials belong to, or empty if the user is unknown or the password wrong. */
    Optional<Caller> verify(String username, String password) {
        Optional<SigilUser> user = SigilUser.find("username", username).firstResultOptional();
        if (!hasher.matches(user.map(u -> u.passwordHash).orElse(null), password)) {
            return Optional.empty();
        }
        return user.map(u -> new Caller(u.username, u.admin));
    }

    public long count(String username) {
        return username == null ? SigilUser.count() : SigilUser.count("username", username);
    }

    public List<UserView> list(String username, int limit, int offset) {
        var sort = Sort.by("pulpCreated").and("id");
        var query = username == null ? SigilUser.<SigilUser>findAll(sort) : SigilUser.<SigilUser>find("username", sort, username);
        return query.range(offset, offset + limit - 1).list().stream().map(UserView::of).toList();
    }

    public UserView get(String id) {
        return UserView.of(find(id));
    }

    @Transactional
    public UserView create(UserRequest request) {
        SigilUser user = new SigilUser();
        user.pulpId = UUID.randomUUID();
        user.pulpCreated = OffsetDateTime.now().truncatedTo(ChronoUnit.MICROS);
        rename(user, required("username", request.username()));
        user.passwordHash = hasher.hash(validPassword(required("password", request.password())));
        user.admin = Boolean.TRUE.equals(request.isAdmin());
        save(user);
        return UserView.of(user);
    }

    /** PUT when {@code partial} is false (username required), PATCH otherwise; absent fields are kept. */
    @Transactional
    public UserView update(String id, UserRequest request, boolean partial) {
        SigilUser user = find(id);
        String username = partial ? request.username() : required("username", request.username());
        if (username != null) {
            rename(user, username);
        }
        boolean endTokens = false;
        if (request.password() != null) {
            user.passwordHash = hasher.hash(validPassword(request.password()));
            endTokens = true;
        }
        if (request.isAdmin() != null) {
            endTokens |= user.admin != request.isAdmin(); // tokens carry what an admin was granted
            user.admin = request.isAdmin();
        }
        if (endTokens) {
            user.tokenGeneration++;
        }
        save(user);
        cache.clear(); // the old password or admin flag must stop working here and now
        tokens.forget();
        return UserView.of(user);
    }

    @Transactional
    public void delete(String id) {
        find(id).delete();
        cache.clear();
        tokens.forget(); // a deleted user's tokens fail from the next use
    }

    /**
     * Creates an admin unless a user of that name exists. Safe when several processes start at once: the insert
     * does nothing on a conflict. Returns whether this call created it.
     */
    @Transactional
    boolean createAdminIfAbsent(String username, String password) {
        if (SigilUser.count("username", username) > 0) {
            return false; // skip the bcrypt cost on every start
        }
        int inserted = em.createNativeQuery("""
                INSERT INTO sigil_user (pulp_id, username, password_hash, is_admin)
                VALUES (:id, :username, :hash, true)
                ON CONFLICT (username) DO NOTHING""")
                .setParameter("id", UUID.randomUUID())
                .setParameter("username", username)
                .setParameter("hash", hasher.hash(password))
                .executeUpdate();
        return inserted == 1;
    }

    private SigilUser find(String id) {
        UUID pulpId;
        try {
            pulpId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No user matches the given query.");
        }
        return SigilUser.<SigilUser>find("pulpId", pulpId).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("No user matches the given query."));
    }

    private void save(SigilUser user) {
        try {
            user.persistAndFlush();
        } catch (ConstraintViolationException e) {
            // Lost a race with another request creating or renaming to the same name.
            throw ApiException.field("username", "A user with that username already exists.");
        }
    }

    private void rename(SigilUser user, String username) {
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.field("username",
                    "Enter a valid username: up to 150 letters, digits and @/./+/-/_ characters.");
        }
        boolean taken = SigilUser.<SigilUser>find("username", username).firstResultOptional()
                .filter(other -> other != user).isPresent();
        if (taken) {
            throw ApiException.field("username", "A user with that username already exists.");
        }
        user.username = username;
    }

    private static String validPassword(String password) {
        if (!PasswordHasher.acceptable(password)) {
            throw ApiException.field("password",
                    "Password must be 1 to " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes long.");
        }
        return password;
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.field(field, "This field is required.");
        }
        return value;
    }
}
