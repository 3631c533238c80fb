package io.sigil.signing;

import io.sigil.tasks.TaskContext;
import io.sigil.tasks.TaskHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/** The task handlers of the signing package. */
final class SigningTaskHandlers {

    private SigningTaskHandlers() {
    }

    @ApplicationScoped
    static class Reverify implements TaskHandler {
        @Inject
        SignatureVerifier verifier;

        @Override
        public String name() {
            return SignatureVerifier.REVERIFY;
        }

        @Override
        public Object run(TaskContext context) {
            return Map.of("reverified", verifier.reverifyAll(context));
        }
    }
}
