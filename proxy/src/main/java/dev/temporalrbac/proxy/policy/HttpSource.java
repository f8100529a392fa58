package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.proxy.config.JwksLocation;
import java.io.IOException;
import java.net.URI;

/**
 * A policy document at an http(s) URL, fetched on each poll with {@code If-None-Match} when the
 * version in force came with an {@code ETag}: 304 means it is still current, so an unchanged
 * policy costs one small exchange. The ETag is sent only for the version in force, so a version
 * that was rejected is fetched whole again (and its signature with it) rather than confirmed.
 * When signed, the detached JWS is fetched from its own URL after each 200. Bounds and redirect
 * rules are {@link HttpFetcher}'s. Called by one thread at a time.
 */
public final class HttpSource implements PolicySource {
  private final URI url;
  private final URI signatureUrl;
  private final HttpFetcher fetcher;
  private final long maxBytes;
  private String etag;
  private String etagVersion;

  /**
   * @param signatureUrl where the detached JWS is; null when the policy is not signed
   * @param maxBytes the largest policy accepted ({@code policy.max_bytes})
   */
  HttpSource(URI url, URI signatureUrl, HttpFetcher fetcher, long maxBytes) {
    this.url = url;
    this.signatureUrl = signatureUrl;
    this.fetcher = fetcher;
    this.maxBytes = maxBytes;
  }

  /**
   * A source for {@code url} on a client of its own, bounded by {@code timeout} per fetch.
   *
   * @param signatureUrl where the detached JWS is; null when the policy is not signed
   */
  public static HttpSource create(URI url, URI signatureUrl, java.time.Duration timeout,
      long maxBytes) {
    return new HttpSource(url, signatureUrl,
        new HttpFetcher(HttpFetcher.client(timeout), timeout), maxBytes);
  }

  @Override
  public String describe() {
    return JwksLocation.shown(url.toString());
  }

  @Override
  public PolicyRead read(String versionInForce) throws IOException {
    boolean ask = etag != null && etagVersion.equals(versionInForce);
    HttpFetcher.Answer answer = fetcher.get(url, ask ? etag : null, maxBytes);
    if (answer.status() == 304) {
      if (!ask) {
        throw new IOException(describe() + " answered 304 Not Modified to a request without"
            + " If-None-Match");
      }
      return PolicyRead.UNCHANGED;
    }
    byte[] signature = signatureUrl == null ? null
        : fetcher.get(signatureUrl, null, PolicySignature.MAX_SIGNATURE_BYTES).body();
    etag = answer.etag();
    etagVersion = etag == null ? null : PolicyLoader.version(answer.body());
    return PolicyRead.of(PolicyContent.document(answer.body(), describe()), signature);
  }
}
