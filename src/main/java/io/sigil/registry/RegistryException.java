package io.sigil.registry;

/**
 * A failure of a registry request ({@code /v2}, {@code /extensions/v2}), answered in the OCI error shape. A type of
 * its own so that the Pulp API's mapper never handles it and this package's mapper handles nothing else.
 */
public class RegistryException extends RuntimeException {

    private final RegistryError error;
    private final transient Object detail;
    private final transient java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    private int status;

    public RegistryException(RegistryError error, String message, Object detail) {
        super(message == null ? error.message() : message);
        this.error = error;
        this.detail = detail;
        this.status = error.status();
    }

    /** The HTTP status: the error's own unless {@link #status(int)} kept the one of the failure it translates. */
    public int status() {
        return status;
    }

    public RegistryException status(int status) {
        this.status = status;
        return this;
    }

    public RegistryError error() {
        return error;
    }

    /** Extra data for the client, e.g. the missing digests; null when there is none. */
    public Object detail() {
        return detail;
    }

    public java.util.Map<String, String> headers() {
        return headers;
    }

    public RegistryException header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
