package io.sigil.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;

/**
 * One direction through the house: the packages of {@code io.sigil} in ranks, lowest first. A package may import only
 * packages of lower ranks, never one of its own rank nor one above; every package has a rank; no package cycles.
 */
@AnalyzeClasses(packages = "io.sigil", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class LayersTest {

    /** Lowest first. "" is the root package, where {@code SigilMain} starts the application. */
    static final List<List<String>> RANKS = List.of(
            List.of("storage", "common", "metrics"), // blobs and digests; SQL, errors, bootstrap; counters and timers
            List.of("content", "tasks", "auth"),     // content units; the task queue; users, tokens, permissions
            List.of("signature"),                    // signature formats, parsing, verification, trusted keys
            List.of("repository"),                   // repositories and their versions
            List.of("signing"),                      // signing services, the sign task, the pull gate, reports
            List.of("registry", "sync"),             // the OCI distribution API; syncing from remotes
            List.of("lifecycle"),                    // orphan clean-up, revocation and invalidation, retention
            List.of("exchange"),                     // import and export
            List.of("api"),                          // the Pulp REST API: thin resources over the services
            List.of(""));                            // the application's entry point

    @ArchTest
    static final ArchRule each_package_imports_only_lower_ranks = layers();

    @ArchTest
    static final ArchRule no_package_cycles = slices().matching("io.sigil.(*)..").should().beFreeOfCycles();

    private static ArchRule layers() {
        LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture();
        for (List<String> rank : RANKS) {
            for (String name : rank) {
                architecture = architecture.layer(layerName(name)).definedBy(packageOf(name));
            }
        }
        List<String> below = new ArrayList<>();
        for (List<String> rank : RANKS) {
            for (String name : rank) {
                architecture = below.isEmpty()
                        ? architecture.whereLayer(layerName(name)).mayNotAccessAnyLayer()
                        : architecture.whereLayer(layerName(name)).mayOnlyAccessLayers(below.toArray(String[]::new));
            }
            rank.forEach(name -> below.add(layerName(name)));
        }
        return architecture;
    }

    private static String layerName(String name) {
        return name.isEmpty() ? "root" : name;
    }

    /** The package and its sub-packages; the root package alone (its sub-packages are the other layers). */
    private static String packageOf(String name) {
        return name.isEmpty() ? "io.sigil" : "io.sigil." + name + "..";
    }
}
