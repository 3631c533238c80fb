package io.sigil.registry;

/**
 * Where blob uploads and their pending links go: the repository a distribution serves at {@code basePath}, or, before
 * the first manifest push has created one, the base path alone ({@code repositoryId} null). Uploading blobs creates
 * nothing; the first manifest creates the repository and its distribution and adopts what was pushed to the path.
 */
public record PushTarget(String basePath, Long repositoryId) {

    public static PushTarget unpublished(String basePath) {
        return new PushTarget(basePath, null);
    }
}
