package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.exchange.Export;
import io.sigil.exchange.Exporter;
import io.sigil.exchange.Import;
import io.sigil.exchange.Importer;
import io.sigil.repository.Repository;
import io.sigil.tasks.TaskRef;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** JSON views of exporters, exports, importers and imports, shaped as Pulp shows them. */
final class ExchangeViews {

    private ExchangeViews() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ExporterView(String pulpHref, OffsetDateTime pulpCreated, String name, String path, List<String> repositories,
                        String lastExport) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ExportView(String pulpHref, OffsetDateTime pulpCreated, String task, List<String> exportedResources,
                      Map<String, Object> params, Map<String, String> outputFileInfo, Map<String, String> tocInfo) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ImporterView(String pulpHref, OffsetDateTime pulpCreated, String name, Map<String, String> repoMapping) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ImportView(String pulpHref, OffsetDateTime pulpCreated, String task, Map<String, Object> params) {
    }

    static ExporterView of(Exporter e) {
        return new ExporterView(e.href(), e.pulpCreated, e.name, e.path,
                e.repositories.stream().sorted((a, b) -> a.name.compareTo(b.name)).map(Repository::href).toList(),
                e.lastExport == null ? null : e.lastExport.href());
    }

    static ExportView of(Export e, List<String> versions) {
        return new ExportView(e.href(), e.pulpCreated, e.taskId == null ? null : new TaskRef(e.taskId).href(), versions,
                e.params, e.outputFiles, Map.of("file", e.tocFile, "sha256", e.tocSha256));
    }

    static ImporterView of(Importer i) {
        return new ImporterView(i.href(), i.pulpCreated, i.name, i.repoMapping);
    }

    static ImportView of(Import i) {
        return new ImportView(i.href(), i.pulpCreated, new TaskRef(i.taskId).href(), i.params);
    }
}
