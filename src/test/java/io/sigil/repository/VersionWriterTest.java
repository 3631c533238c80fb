package io.sigil.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import io.sigil.content.Blob;
import io.sigil.content.ContentUnit;
import io.sigil.content.Manifest;
import io.sigil.content.Signature;
import io.sigil.content.Tag;
import io.sigil.testing.ContentFixtures;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.tasks.TaskContext;
import io.sigil.tasks.TaskFencedException;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class VersionWriterTest {

    @Inject
    VersionWriter writer;
    @Inject
    RepositoryService repositories;
    @Inject
    ContentFixtures fixtures;
    @Inject
    EntityManager em;

    Repository repo;

    @BeforeEach
    void newRepository() {
        repo = repositories.create("repo-" + UUID.randomUUID(), null, null);
    }

    private Optional<RepositoryVersion> write(Integer base, Set<Long> add, Set<Long> remove) {
        return QuarkusTransaction.requiringNew().call(() -> writer.write(repo.id, new VersionChange(base, add, remove, false), null));
    }

    private Optional<RepositoryVersion> add(ContentUnit... units) {
        return write(null, ids(units), Set.of());
    }

    private Optional<RepositoryVersion> remove(ContentUnit... units) {
        return write(null, Set.of(), ids(units));
    }

    private static Set<Long> ids(ContentUnit... units) {
        return Arrays.stream(units).map(u -> u.id).collect(Collectors.toSet());
    }

    private Set<Long> content(int number) {
        return QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> new HashSet<>(sql.query(
                "SELECT content_id FROM repository_content WHERE repository_id = ? AND version_added <= ? "
                        + "AND (version_removed IS NULL OR version_removed > ?)", rs -> rs.getLong(1), repo.id, number, number))));
    }

    private Set<Long> latest() {
        return content(QuarkusTransaction.requiringNew().call(() -> Repository.<Repository>findById(repo.id).latestVersion));
    }

    @Test
    void addingATagBringsItsManifestAndBlobs() {
        Blob a = fixtures.blob(), b = fixtures.blob();
        Manifest m = fixtures.image(a, b);
        Tag t = fixtures.tag("v1", m);
        RepositoryVersion v = add(t).orElseThrow();
        assertEquals(1, v.number);
        assertEquals(ids(a, b, m, t), latest());
        assertEquals(2L, v.summary.present().get("container.blob"));
        assertEquals(1L, v.summary.added().get("container.tag"));
    }

    @Test
    void aChangeThatChangesNothingMakesNoVersion() {
        Tag t = fixtures.taggedImage("v1");
        add(t).orElseThrow();
        assertTrue(add(t).isEmpty());
        assertTrue(remove(fixtures.blob()).isEmpty());
        assertEquals(1, Repository.<Repository>findById(repo.id).latestVersion);
    }

    @Test
    void aNewTagUnitReplacesTheTagOfTheSameName() {
        Tag old = fixtures.taggedImage("latest");
        add(old);
        Tag moved = fixtures.taggedImage("latest");
        RepositoryVersion v = add(moved).orElseThrow();
        assertTrue(latest().contains(moved.id));
        assertFalse(latest().contains(old.id));
        assertEquals(1L, v.summary.present().get("container.tag"));
        // the old manifest stays: only the tag moved
        assertTrue(latest().contains(Tag.<Tag>findById(old.id).manifest.id));
    }

    @Test
    void removingAManifestTakesItsTagsSignaturesReferrersAndUnsharedBlobs() {
        Blob shared = fixtures.blob(), own = fixtures.blob();
        Manifest m = fixtures.image(shared, own);
        Manifest other = fixtures.image(shared);
        Tag t = fixtures.tag("a", m);
        Signature s = fixtures.signature(m, "KEY1");
        Blob referrerLayer = fixtures.blob();
        Manifest sbom = fixtures.referrer(m, referrerLayer);
        Signature sbomSignature = fixtures.signature(sbom, "KEY2");
        add(t, s, other, sbom, sbomSignature);
        remove(m).orElseThrow();
        assertEquals(ids(shared, other), latest());
    }

    @Test
    void removingABlobAKeptManifestNeedsIsRefusedNamingIt() {
        Blob a = fixtures.blob();
        Manifest m = fixtures.image(a);
        add(m);
        ApiException e = assertThrows(ApiException.class, () -> remove(a));
        assertEquals(409, e.status());
        assertTrue(e.getMessage().contains(m.digest), e.getMessage());
        assertEquals(ids(a, m), latest());
    }

    @Test
    void removingAChildOfAKeptListIsRefused() {
        Manifest amd = fixtures.image(fixtures.blob());
        Manifest arm = fixtures.image(fixtures.blob());
        Manifest list = fixtures.list(amd, arm);
        add(list);
        ApiException e = assertThrows(ApiException.class, () -> remove(arm));
        assertEquals(409, e.status());
        assertTrue(e.getMessage().contains(list.digest));
    }

    @Test
    void removingAListTakesChildrenNothingElseNeedsButKeepsTaggedOnes() {
        Blob amdLayer = fixtures.blob(), armLayer = fixtures.blob();
        Manifest amd = fixtures.image(amdLayer);
        Manifest arm = fixtures.image(armLayer);
        Manifest list = fixtures.list(amd, arm);
        Tag listTag = fixtures.tag("multi", list);
        Tag armTag = fixtures.tag("arm-only", arm);
        Signature childSignature = fixtures.signature(amd, "KEY");
        add(listTag, armTag, childSignature);
        remove(list).orElseThrow();
        assertEquals(ids(arm, armLayer, armTag), latest());
    }

    @Test
    void addingASignatureBringsItsManifestAndRemovingItRemovesOnlyIt() {
        Manifest m = fixtures.image(fixtures.blob());
        Signature s = fixtures.signature(m, "KEY");
        add(s);
        assertTrue(latest().containsAll(ids(m, s)));
        remove(s).orElseThrow();
        assertTrue(latest().contains(m.id));
        assertFalse(latest().contains(s.id));
    }

    @Test
    void twoTagsWithOneNameInOneChangeAreRefused() {
        ApiException e = assertThrows(ApiException.class,
                () -> add(fixtures.taggedImage("same"), fixtures.taggedImage("same")));
        assertEquals(400, e.status());
    }

    @Test
    void unknownUnitsAreRefused() {
        ApiException e = assertThrows(ApiException.class, () -> write(null, Set.of(-5L), Set.of()));
        assertEquals(400, e.status());
    }

    @Test
    void aChangeOnAnOlderBaseVersionStartsFromThatVersion() {
        Tag one = fixtures.taggedImage("one");
        add(one);
        Set<Long> v1 = latest();
        Tag two = fixtures.taggedImage("two");
        add(two);
        Tag three = fixtures.taggedImage("three");
        RepositoryVersion v3 = write(1, ids(three), Set.of()).orElseThrow();
        Set<Long> expected = new HashSet<>(v1);
        expected.addAll(Set.of(three.id, Tag.<Tag>findById(three.id).manifest.id));
        expected.addAll(content(3).stream().filter(id -> !content(2).contains(id) || v1.contains(id)).toList());
        assertEquals(3, v3.number);
        assertTrue(latest().contains(three.id));
        assertFalse(latest().contains(two.id));
        assertTrue(latest().containsAll(v1));
    }

    @Test
    void deletingAMiddleVersionKeepsEveryOtherVersionIntact() {
        Tag a = fixtures.taggedImage("a");
        Tag b = fixtures.taggedImage("b");
        add(a);
        add(b);
        remove(a);
        Set<Long> before1 = content(1), before3 = content(3);
        repositories.deleteVersion(repo.pulpId, 2);
        assertEquals(before1, content(1));
        assertEquals(before3, content(3));
        RepositoryVersion v3 = repositories.version(repo.pulpId, 3);
        assertEquals(1L, v3.summary.present().get("container.tag"));
        assertEquals(1L, v3.summary.added().get("container.tag"));
        assertEquals(1L, v3.summary.removed().get("container.tag"));
        assertThrows(ApiException.class, () -> repositories.deleteVersion(repo.pulpId, 3));
    }

    @Test
    void retentionKeepsTheNewestVersionsOnly() {
        repositories.update(repo.pulpId, null, null, 2, true);
        Tag a = fixtures.taggedImage("a");
        add(a);
        add(fixtures.taggedImage("b"));
        add(fixtures.taggedImage("c"));
        assertEquals(2, RepositoryVersion.count("repository.id", repo.id));
        assertTrue(content(3).contains(a.id));
        assertEquals(3, content(3).stream().filter(id -> Tag.findById(id) != null).count());
    }

    @Test
    void aTaskThatFailsItsFenceWritesNothing() {
        Tag a = fixtures.taggedImage("a");
        FakeTask fenced = new FakeTask(false);

        assertThrows(TaskFencedException.class, () -> QuarkusTransaction.requiringNew()
                .call(() -> writer.write(repo.id, VersionChange.adding(ids(a)), fenced)));

        assertEquals(1, RepositoryVersion.count("repository.id", repo.id), "only version 0");
        assertTrue(content(0).isEmpty());
    }

    @Test
    void theVersionIsRecordedOnTheTaskThatWroteIt() {
        FakeTask task = new FakeTask(true);

        RepositoryVersion v = QuarkusTransaction.requiringNew()
                .call(() -> writer.write(repo.id, VersionChange.adding(ids(fixtures.taggedImage("a"))), task)).orElseThrow();

        assertEquals(java.util.List.of(Hrefs.version(repo.pulpId, v.number)), task.created);
        assertEquals(1, task.fences, "the write passed the task's fence");
    }

    @Test
    void aChangePlannedOnAnOlderLatestVersionIsRefused() {
        add(fixtures.taggedImage("a"));
        VersionChange stale = VersionChange.adding(ids(fixtures.taggedImage("b"))).plannedOn(0);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> QuarkusTransaction.requiringNew().call(() -> writer.write(repo.id, stale, null)));

        assertTrue(e.getMessage().contains("planned on version 0"), e.getMessage());
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> repositories.get(repo.pulpId).latestVersion));
    }

    /** A task context that passes or fails its fence, and remembers what it recorded. */
    private static final class FakeTask implements TaskContext {
        final boolean running;
        final java.util.List<String> created = new java.util.ArrayList<>();
        int fences;

        FakeTask(boolean running) {
            this.running = running;
        }

        public UUID taskId() {
            return UUID.randomUUID();
        }

        public com.fasterxml.jackson.databind.JsonNode parameters() {
            return null;
        }

        public String user() {
            return null;
        }

        public void progress(String code, String message, long done, Long total) {
        }

        public void createdResource(String href) {
            created.add(href);
        }

        public void checkCanceled() {
        }

        public void fence() {
            fences++;
            if (!running) {
                throw new TaskFencedException("fenced");
            }
        }

        public void recordCreated(String href) {
            created.add(href);
        }
    }
}
