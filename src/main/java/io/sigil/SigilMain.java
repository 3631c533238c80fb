package io.sigil;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.sigil.common.DatabaseBootstrap;

/** Creates the configured PostgreSQL database when it is missing, then starts Quarkus (which migrates it). */
@QuarkusMain
public class SigilMain {

    public static void main(String... args) {
        DatabaseBootstrap.createDatabaseIfMissing();
        Quarkus.run(args);
    }
}
