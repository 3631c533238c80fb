package io.sigil.sync;

/** Something the sync leaves out, with the reason to report (a bad manifest, a tag that vanished). */
final class SkippedException extends Exception {

    SkippedException(String reason) {
        super(reason, null, false, false);
    }
}
