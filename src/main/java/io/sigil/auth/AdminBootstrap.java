package io.sigil.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Creates the configured admin at start-up when no user has that name, so a fresh install can be logged into. */
@ApplicationScoped
class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    @Inject
    UserService users;

    @ConfigProperty(name = "sigil.admin.username")
    String username;

    @ConfigProperty(name = "sigil.admin.password")
    Optional<String> password;

    void onStart(@Observes StartupEvent event) {
        if (password.isEmpty() || !PasswordHasher.acceptable(password.get())) {
            LOG.warnf("sigil.admin.password is empty or longer than %d bytes: no admin user was created",
                    PasswordHasher.MAX_PASSWORD_BYTES);
            return;
        }
        if (users.createAdminIfAbsent(username, password.get())) {
            LOG.infof("created admin user %s", username);
        }
    }
}
