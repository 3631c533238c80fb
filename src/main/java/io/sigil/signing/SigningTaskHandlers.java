package io.sigil.signing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.signature.SignatureVerifier;
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

    @ApplicationScoped
    static class Sign implements TaskHandler {
        @Inject
        SignTask task;
        @Inject
        ObjectMapper mapper;

        @Override
        public String name() {
            return SigningTasks.SIGN;
        }

        @Override
        public Object run(TaskContext context) throws Exception {
            return task.run(context, mapper.treeToValue(context.parameters(), SigningTasks.SignParameters.class));
        }
    }
}
