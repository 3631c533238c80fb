package io.sigil.common;

import java.util.Optional;

/**
 * The username of whoever made the current HTTP request, for lower layers that record who did something (a task's
 * owner) without depending on how callers authenticate. Empty outside a request or for anonymous callers.
 */
public interface CallerName {

    Optional<String> current();
}
