package io.sigil.exchange;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Where archives may be written and read, and how much of an archive is ever held in memory. */
@ConfigMapping(prefix = "sigil.exchange")
public interface ExchangeConfig {

    /** Directories exporters may write under; none configured means every exporter path is refused. */
    Optional<List<String>> allowedExportPaths();

    /** Directories imports may read from; none configured means every import path is refused. */
    Optional<List<String>> allowedImportPaths();

    /** The largest metadata entry (or table of contents) read into memory. */
    @WithDefault("64M")
    MemorySize maxMetadataSize();
}
