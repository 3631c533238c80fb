package io.sigil.signing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.path.json.JsonPath;
import io.sigil.content.ContentUnit;
import io.sigil.content.Manifest;
import io.sigil.content.Signature;
import io.sigil.content.Tag;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import io.sigil.signature.SigningApi;
import io.sigil.testing.ContentFixtures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Repositories with tagged content for the sign tests, and shortcuts to sign them through the REST API. */
@ApplicationScoped
class SigningRepos {

    @Inject
    RepositoryService repositories;
    @Inject
    VersionWriter writer;
    @Inject
    ContentFixtures fixtures;

    Repository create() {
        return repositories.create("signing-" + UUID.randomUUID(), null, null);
    }

    void add(Repository repository, ContentUnit... units) {
        Set<Long> ids = Arrays.stream(units).map(u -> u.id).collect(Collectors.toSet());
        QuarkusTransaction.requiringNew().run(() -> writer.write(repository.id, VersionChange.adding(ids), null));
    }

    int latest(Repository repository) {
        return QuarkusTransaction.requiringNew().call(() -> Repository.<Repository>findById(repository.id).latestVersion);
    }

    Tag tag(String name, Manifest manifest) {
        return fixtures.tag(name, manifest);
    }

    Manifest image() {
        return fixtures.image(fixtures.blob(), fixtures.blob());
    }

    Manifest list(Manifest... children) {
        return fixtures.list(children);
    }

    /** Dispatches a sign call and waits; returns the finished task. */
    static JsonPath sign(Repository repository, Map<String, Object> body, String expectedState) {
        String task = SigningApi.post(SigningApi.REPOSITORIES + repository.pulpId + "/sign/", body, 202).getString("task");
        return SigningApi.awaitTask(task, expectedState);
    }

    static byte[] data(String signatureHref) {
        UUID id = UUID.fromString(signatureHref.replaceAll(".*/([0-9a-f-]{36})/$", "$1"));
        return QuarkusTransaction.requiringNew().call(() -> Signature.<Signature>find("pulpId", id).firstResult().data);
    }

    static String versionHref(Repository repository, int number) {
        return SigningApi.REPOSITORIES + repository.pulpId + "/versions/" + number + "/";
    }
}
