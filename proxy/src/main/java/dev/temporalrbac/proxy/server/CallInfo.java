package dev.temporalrbac.proxy.server;

/**
 * Where a call came from and what it asked for, for observers.
 *
 * @param service service short name from the catalog, or {@code other}
 * @param method method short name from the catalog, or {@code other} (bounded label values)
 * @param fullMethod the method name as called
 * @param peer remote address of the caller
 * @param requestId the caller's {@code x-request-id}, or empty
 */
public record CallInfo(String service, String method, String fullMethod, String peer,
    String requestId) {}
