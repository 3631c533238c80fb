package io.sigil.tasks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** The public read of which task workers, in any process, are alive now. */
@ApplicationScoped
public class Workers {

    @Inject
    TaskStore store;

    @Inject
    TasksConfig config;

    public List<OnlineWorker> online() {
        return store.onlineWorkers(config.workerTimeout());
    }
}
