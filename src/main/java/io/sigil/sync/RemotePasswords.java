package io.sigil.sync;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.sigil.signing.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Remote passwords are kept sealed by {@link SecretBox} (bound to the remote), opened only when a sync reads its
 * remote. Passwords stored in the clear before sealing existed are sealed at start-up.
 */
@ApplicationScoped
public class RemotePasswords {

    private static final Logger LOG = Logger.getLogger(RemotePasswords.class);

    @Inject
    SecretBox box;

    /** Seals the password the API just gave ({@link Remote#password}; null clears it). */
    void seal(Remote remote) {
        remote.sealedPassword = remote.password == null ? null
                : box.seal(remote.password.getBytes(StandardCharsets.UTF_8), context(remote));
        remote.unsealedPassword = null;
        remote.password = null;
    }

    String open(Remote remote) {
        if (remote.sealedPassword != null) {
            return new String(box.open(remote.sealedPassword, context(remote)), StandardCharsets.UTF_8);
        }
        return remote.unsealedPassword;
    }

    void onStart(@Observes StartupEvent event) {
        sealStoredInTheClear();
    }

    /** Seals the passwords stored before they were sealed; returns how many. */
    int sealStoredInTheClear() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Remote> clear = Remote.list("unsealedPassword is not null");
            for (Remote remote : clear) {
                remote.password = remote.unsealedPassword;
                seal(remote);
            }
            if (!clear.isEmpty()) {
                LOG.infof("sealed the passwords of %d remotes stored in the clear", clear.size());
            }
            return clear.size();
        });
    }

    private static String context(Remote remote) {
        return "remote:" + remote.pulpId + ":password";
    }
}
