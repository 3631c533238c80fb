package io.sigil.auth;

import io.quarkus.arc.Arc;
import io.sigil.common.CallerName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** {@link CallerName} from the authenticated caller of the current request; empty on task threads. */
@ApplicationScoped
class RequestCallerName implements CallerName {

    @Inject
    CurrentUser currentUser;

    @Override
    public Optional<String> current() {
        if (!Arc.container().requestContext().isActive()) {
            return Optional.empty();
        }
        return Optional.ofNullable(currentUser.username());
    }
}
